package store.code.runtime.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

/**
 * The project API keys an instance accepts, as {@code <keyId> <sha256-hex of the key>} lines in a file (the contract's
 * {@code CODESTORE_API_KEYS_FILE}; the operator writes it from the project's ApiKeys). The plain keys are never here:
 * a presented key is hashed and looked up. The file is read again when it changes, looked at every
 * {@link #LOOK_EVERY}, so a revoked key stops working within seconds of the file's change without a restart. The
 * operator also hands the same lines over directly ({@link #replace}) as soon as they change, since the kubelet
 * brings a changed Secret into a running pod only on its next sync, about a minute later.
 */
public final class ApiKeys {

  /** Every key starts with this, which is how a key is told from a token. */
  public static final String PREFIX = "csk_";
  static final Duration LOOK_EVERY = Duration.ofSeconds(2);
  private static final Pattern LINE = Pattern.compile("^([A-Za-z0-9._-]{1,128})\\s+([0-9a-f]{64})$");
  private static final Logger LOG = Logger.getLogger(ApiKeys.class);

  private final Path file;
  private final Clock clock;
  private volatile Map<String, String> keyIdByHash = Map.of();
  private volatile Instant lookedAt = Instant.MIN;
  private volatile FileTime modified;
  private volatile long size = -1;

  public ApiKeys(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
    reloadIfChanged();
  }

  /** The id of the key, when this instance accepts it now. */
  public Optional<String> keyIdOf(String key) {
    if (!lookedAt.plus(LOOK_EVERY).isAfter(clock.instant())) {
      reloadIfChanged();
    }
    return Optional.ofNullable(keyIdByHash.get(sha256(key)));
  }

  /** The lines the operator handed over: they hold until the file changes again (to the same lines, in time). */
  public synchronized void replace(List<String> lines) {
    keyIdByHash = parse(lines);
    LOG.infof("API keys: %d accepted (handed over by the operator)", keyIdByHash.size());
  }

  public int size() {
    return keyIdByHash.size();
  }

  private synchronized void reloadIfChanged() {
    lookedAt = clock.instant();
    try {
      FileTime m = Files.getLastModifiedTime(file);
      long s = Files.size(file);
      if (m.equals(modified) && s == size) {
        return;
      }
      keyIdByHash = parse(Files.readAllLines(file, StandardCharsets.UTF_8));
      modified = m;
      size = s;
      LOG.infof("API keys: %d accepted (from %s)", keyIdByHash.size(), file);
    } catch (IOException e) {
      if (!keyIdByHash.isEmpty() || modified != null) {
        LOG.warnf("API keys file %s cannot be read (%s): no key is accepted until it can", file, e.getMessage());
      }
      keyIdByHash = Map.of();
      modified = null;
      size = -1;
    }
  }

  /** Lines {@code <keyId> <sha256-hex>}; blank lines and {@code #} comments skipped, a malformed line logged. */
  static Map<String, String> parse(List<String> lines) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      var m = LINE.matcher(line);
      if (!m.matches()) {
        LOG.warnf("API keys line %d is not `<keyId> <64 hex digits of sha256>`: ignored", i + 1);
        continue;
      }
      out.put(m.group(2), m.group(1));
    }
    return Map.copyOf(out);
  }

  public static String sha256(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new key: the prefix and 256 random bits. */
  public static String newKey(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
