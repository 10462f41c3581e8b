package store.code.runtime.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;

import io.vertx.ext.web.RoutingContext;

/**
 * The instance's push token: what only the operator holds (Secret {@code api-keys}, key {@code push-token}), checked
 * on the management routes that act for it ({@code PUT /keys}, {@code POST /migration/dry-run}). Without a token file
 * (or one under 16 bytes) every such request is refused.
 */
final class PushToken {
  private PushToken() {}

  /** Whether the request carries {@code Authorization: Bearer <the token>}. */
  static boolean presentedIn(RoutingContext ctx, RuntimeSettings settings) {
    Optional<byte[]> token = read(settings);
    String given = ctx.request().getHeader("Authorization");
    return token.isPresent() && given != null && given.startsWith("Bearer ")
        && MessageDigest.isEqual(token.get(), given.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8));
  }

  private static Optional<byte[]> read(RuntimeSettings settings) {
    Optional<Path> file = settings.apiKeysPushTokenFile().map(Path::of)
        .or(() -> settings.apiKeysFile().map(f -> Path.of(f).resolveSibling("push-token")));
    try {
      return file.filter(Files::isRegularFile).map(f -> {
        try {
          return Files.readString(f).strip().getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
          return null;
        }
      }).filter(t -> t.length >= 16);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
