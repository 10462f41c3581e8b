package store.code.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.ZoneOffset;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

/** What each page reads, from a test API server holding what the operator would have written (CRUD mode). */
@EnableKubernetesMockClient(crud = true)
class ViewsTest {
  KubernetesClient client;

  @BeforeEach
  void world() {
    World.make(client);
  }

  @Test
  void theMarketplaceShowsWhatANamespaceMayReuseAndNothingElse() {
    assertThat(Views.marketplace(client, "acme")).extracting(Views.ServiceRow::name)
        .containsExactly("meeting-rooms", "shopping-cart");
    assertThat(Views.marketplace(client, "globex")).as("Shared with acme only; Private; never published")
        .extracting(Views.ServiceRow::name).containsExactly("shopping-cart");
    assertThat(Views.marketplace(client, "acme-makers")).as("the maker sees its own, Private too")
        .extracting(Views.ServiceRow::name).contains("payroll");
    assertThat(Views.marketplace(client, "acme").get(1).price()).isEqualTo("2.00 EUR/month");
  }

  @Test
  void aServiceShowsTheCompilersErrorsOnTheirLines() {
    Views.ServicePage broken = Views.service(client, "acme-makers", "broken");
    assertThat(broken.errors()).isEqualTo(1);
    assertThat(broken.schema().get(1).number()).isEqualTo(2);
    assertThat(broken.schema().get(1).text()).isEqualTo("  name String!");
    assertThat(broken.schema().get(1).errors()).singleElement().asString().startsWith("line 2, column 14: syntax error");
    assertThat(broken.schema().get(0).errors()).isEmpty();
    assertThat(broken.conditions()).singleElement().satisfies(c -> {
      assertThat(c.ok()).isFalse();
      assertThat(c.reason()).isEqualTo("SchemaInvalid");
    });
    assertThat(Views.service(client, "acme-makers", "shopping-cart").errors()).isZero();
    assertThatThrownBy(() -> Views.service(client, "acme-makers", "nope"))
        .hasCauseInstanceOf(KubernetesClientException.class).hasMessageContaining("Not Found");
  }

  @Test
  void aProjectIsAGridOfEnvironmentsAndServicesWithWhyAnInstanceIsNotReady() {
    Views.ProjectPage page = Views.project(client, "acme", "webshop", Clock.fixed(FixedClock.NOW, ZoneOffset.UTC));
    assertThat(page.environments()).containsExactly("dev", "prod");
    assertThat(page.rows()).singleElement().satisfies(r -> {
      assertThat(r.alias()).isEqualTo("cart");
      assertThat(r.service()).isEqualTo("acme-makers/shopping-cart");
      assertThat(r.cells()).extracting(Views.Cell::phase).containsExactly("Ready", "Failed");
      assertThat(r.cells().get(0).reason()).isNull();
      assertThat(r.cells().get(1).reason()).isEqualTo("SchemaChangeRefused");
      assertThat(r.cells().get(1).message()).contains("drop column note");
    });
    assertThat(page.keys()).singleElement().satisfies(k -> {
      assertThat(k.name()).isEqualTo("webshop-ci");
      assertThat(k.environments()).isEqualTo("prod");
      assertThat(k.expires()).isEqualTo("never");
    });
    assertThat(page.month()).isEqualTo("2026-11");
    assertThat(page.bill()).singleElement().satisfies(b -> assertThat(b.amount()).isEqualTo("2.001234"));
    assertThat(page.total()).isEqualTo("2.001234 EUR");
    // a report of this project under a name the operator does not give is not a month
    var odd = World.report("2026-09", 1L, "0.01");
    odd.getMetadata().setName("x");
    client.resource(odd).create();
    assertThat(Views.project(client, "acme", "webshop", Clock.fixed(FixedClock.NOW, ZoneOffset.UTC)).months())
        .containsExactly("2026-11", "2026-10");
    Views.ProjectPage october = Views.project(client, "acme", "webshop", java.time.YearMonth.of(2026, 10));
    assertThat(october.bill()).singleElement().satisfies(b -> assertThat(b.requests()).isEqualTo(99L));
    assertThat(october.total()).isEqualTo("2.000099 EUR");
    Views.ProjectPage december = Views.project(client, "acme", "webshop",
        Clock.fixed(java.time.Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC));
    assertThat(december.bill()).as("a new month, no report yet").isEmpty();
  }

  @Test
  void aNamespacesServicesAndProjectsSayWhatNeedsAttention() {
    assertThat(Views.services(client, "acme-makers")).extracting(s -> s.name() + " " + s.version() + " " + s.problem())
        .containsExactly("broken null SchemaInvalid", "meeting-rooms 1.0.0 null", "payroll 3.1.0 null",
            "shopping-cart 1.0.0 null");
    assertThat(Views.projects(client, "acme")).singleElement().satisfies(p -> {
      assertThat(p.name()).isEqualTo("webshop");
      assertThat(p.environments()).isEqualTo("dev, prod");
    });
    assertThat(Views.projects(client, "globex")).isEmpty();
  }
}
