package store.code.runtime.graphql;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the project hands this instance for its service: plain settings ({@code config}) and secret values, both
 * resolved per environment by the operator. Handlers read them as {@code ctx.config()} and {@code ctx.secret(key)};
 * the runtime itself never logs or returns them.
 */
public record ProjectValues(Map<String, String> config, Map<String, String> secrets) {
  public ProjectValues {
    config = Map.copyOf(config);
    secrets = Map.copyOf(secrets);
  }

  public static ProjectValues none() {
    return new ProjectValues(Map.of(), Map.of());
  }

  /** Settings as {@code CODESTORE_CONFIG_<KEY>} variables, as the pod's config map hands them over. */
  public static Map<String, String> configFrom(Map<String, String> environment) {
    Map<String, String> out = new TreeMap<>();
    environment.forEach((k, v) -> {
      if (k.startsWith("CODESTORE_CONFIG_")) {
        out.put(k.substring("CODESTORE_CONFIG_".length()), v);
      }
    });
    return out;
  }

  /**
   * Secret values from a mounted Secret: a file per key (the kubelet's {@code ..data} links and other dot-dot entries
   * are its bookkeeping, not keys).
   *
   * @throws IOException when the directory cannot be read; the message names it, never a value
   */
  public static Map<String, String> secretsFrom(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        String key = p.getFileName().toString();
        if (!key.startsWith("..") && Files.isRegularFile(p)) {
          out.put(key, Files.readString(p, StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  /** Never the values: this record may end up in a log line by accident, its secrets must not. */
  @Override
  public String toString() {
    return "ProjectValues[config keys " + new TreeMap<>(config).keySet() + ", secret keys "
        + new TreeMap<>(secrets).keySet() + "]";
  }
}
