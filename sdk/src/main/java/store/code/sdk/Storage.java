package store.code.sdk;

import java.time.Duration;
import java.util.Optional;

/** The instance bucket. Keys are the values stored in {@code @file} fields. */
public interface Storage {

  /** False when the instance has no bucket: every other method then throws {@link CodeException}. */
  boolean enabled();

  void put(String key, byte[] bytes, String contentType);

  Optional<byte[]> get(String key);

  void delete(String key);

  /** A pre-signed GET URL valid for {@code ttl}. */
  String downloadUrl(String key, Duration ttl);
}
