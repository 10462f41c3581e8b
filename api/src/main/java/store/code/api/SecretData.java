package store.code.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Secret;

/** A Secret's values as text, from both {@code data} (base64) and {@code stringData}; shared by operator and CLI. */
public final class SecretData {
  private SecretData() {}

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

  /** A value as a Secret's {@code data} holds it. */
  public static String encode(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
