package store.code.cli;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Secret;

/** A Secret's values as text ({@code data} is base64; {@code stringData} as written). */
public final class Secrets {
  private Secrets() {}

  public static Map<String, String> decode(Secret s) {
    Map<String, String> out = new HashMap<>();
    if (s.getStringData() != null) {
      out.putAll(s.getStringData());
    }
    if (s.getData() != null) {
      s.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    return out;
  }

  public static String encode(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
