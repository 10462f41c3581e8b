package store.code.operator.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import store.code.schema.CompiledSchema;
import store.code.schema.SchemaCompiler;
import store.code.schema.SchemaException;

class CompiledSchemasTest {

  static final String ROOMS = "type Room @model {\n  name: String! @unique\n  seats: Int!\n}\n";

  @Test
  void aSchemaIsCompiledOnceAndAnswersAsTheCompilerDoes() throws Exception {
    CompiledSchemas schemas = new CompiledSchemas();
    CompiledSchema first = schemas.compile(ROOMS);
    assertThat(schemas.compile(ROOMS)).as("the cached outcome").isSameAs(first);
    assertThat(first.hash()).isEqualTo(SchemaCompiler.compile(ROOMS).hash());
    assertThat(schemas.compile(ROOMS + "\n# changed\n").hash()).as("another text is compiled on its own")
        .isNotEqualTo(first.hash());
  }

  @Test
  void aSchemaThatDoesNotCompileFailsEveryTimeWithTheCompilersErrors() {
    CompiledSchemas schemas = new CompiledSchemas();
    String broken = "type Room @model {\n  name: Strin!\n}\n";
    assertThatThrownBy(() -> schemas.compile(broken)).isInstanceOf(SchemaException.class)
        .hasMessageContaining("Strin");
    assertThatThrownBy(() -> schemas.compile(broken)).as("a cached refusal is still a refusal")
        .isInstanceOf(SchemaException.class).hasMessageContaining("Strin");
  }

  @Test
  void onlyTheMostRecentlyUsedAreKept() throws Exception {
    CompiledSchemas schemas = new CompiledSchemas();
    CompiledSchema kept = schemas.compile(ROOMS);
    CompiledSchema evicted = schemas.compile(ROOMS + "# evicted\n");
    for (int i = 0; i < CompiledSchemas.SIZE - 1; i++) {
      schemas.compile(ROOMS + "# " + i + "\n");
      schemas.compile(ROOMS); // used again and again: stays
    }
    assertThat(schemas.compile(ROOMS)).isSameAs(kept);
    assertThat(schemas.compile(ROOMS + "# evicted\n")).as("compiled again after eviction").isNotSameAs(evicted);
  }
}
