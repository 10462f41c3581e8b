package store.code.runtime.app;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import store.code.runtime.migrate.Migrator;
import store.code.schema.CompiledSchema;
import store.code.schema.SchemaCompiler;
import store.code.schema.SchemaException;

/**
 * {@code POST /migration/dry-run} on the management port, body: the schema (SDL) of the version the operator would
 * move this instance to. Answers what the migration would do against this instance's database, run and rolled back
 * ({@link Migrator#dryRun}): {@code {"fromHash", "toHash", "statements": [...], "refused": [...]}}. Only the operator
 * may ask (the push token, as for {@code PUT /keys}); 503 until this instance serves (its own migration is done).
 */
@ApplicationScoped
public class MigrationDryRunEndpoint {
  static final String PATH = "/migration/dry-run";
  static final int MAX_BODY = 1 << 20;
  /** The dry run takes the locks its statements need: it waits this long for each, and gives up past the second. */
  static final Duration LOCK_TIMEOUT = Duration.ofSeconds(2);
  static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger LOG = Logger.getLogger(MigrationDryRunEndpoint.class);

  @Inject
  Instance instance;

  @Inject
  RuntimeSettings settings;

  @Inject
  DataSource dataSource;

  @Inject
  ObjectMapper json;

  void register(@Observes ManagementInterface management) {
    management.router().post(PATH).handler(BodyHandler.create().setBodyLimit(MAX_BODY)).blockingHandler(this::dryRun);
  }

  void dryRun(RoutingContext ctx) {
    if (!PushToken.presentedIn(ctx, settings)) {
      answer(ctx, 403, Map.of("error", "only the operator may ask for a migration dry run"));
      return;
    }
    if (instance.state() != Instance.State.READY) {
      answer(ctx, 503, Map.of("error", "this instance does not serve yet: " + instance.message()));
      return;
    }
    CompiledSchema desired;
    try {
      desired = SchemaCompiler.compile(ctx.body().asString(StandardCharsets.UTF_8.name()));
    } catch (SchemaException e) {
      answer(ctx, 400, Map.of("error", "the schema does not compile: " + e.getMessage()));
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      Migrator.DryRun plan = new Migrator().dryRun(c, desired, LOCK_TIMEOUT, STATEMENT_TIMEOUT);
      LOG.infof("migration dry run to schema %s: %d statements, %d refused", plan.toHash(), plan.statements().size(),
          plan.refused().size());
      answer(ctx, 200, plan);
    } catch (SQLException | RuntimeException e) {
      answer(ctx, 503, Map.of("error", "the dry run could not run: " + e.getMessage()));
    }
  }

  private void answer(RoutingContext ctx, int status, Object body) {
    try {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(json.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      ctx.response().setStatusCode(500).end();
    }
  }
}
