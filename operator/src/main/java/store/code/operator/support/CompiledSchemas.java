package store.code.operator.support;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import store.code.schema.CompiledSchema;
import store.code.schema.SchemaCompiler;
import store.code.schema.SchemaException;

/**
 * Compiled schemas (or their errors) by schema text, the most recently used {@value #SIZE}. Compiling was the costliest
 * step of a reconcile when profiled at hundreds of instances, and a few schemas serve many instances; the compiler is
 * deterministic in the text, so a cached outcome is the outcome.
 */
public final class CompiledSchemas {
  static final int SIZE = 64;

  private record Outcome(CompiledSchema schema, SchemaException error) {}

  private final Map<String, Outcome> bySource = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Outcome> eldest) {
      return size() > SIZE;
    }
  });

  /** {@link SchemaCompiler#compile}, once per distinct text (while it stays among the recently used). */
  public CompiledSchema compile(String source) throws SchemaException {
    // computeIfAbsent under the map's lock: threads asking for one new schema wait for a single compilation
    Outcome outcome = bySource.computeIfAbsent(source, s -> {
      try {
        return new Outcome(SchemaCompiler.compile(s), null);
      } catch (SchemaException e) {
        return new Outcome(null, e);
      }
    });
    if (outcome.error() != null) {
      throw outcome.error();
    }
    return outcome.schema();
  }
}
