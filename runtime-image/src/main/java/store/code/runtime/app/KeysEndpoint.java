package store.code.runtime.app;

import java.nio.charset.StandardCharsets;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * {@code PUT /keys} on the management port: the operator hands over the key hashes as soon as they change (a revoked
 * key stops working within a second or two instead of at the kubelet's next Secret sync). Only the operator can: the
 * request must carry the instance's push token, which the operator wrote beside the keys
 * ({@code CODESTORE_API_KEYS_PUSH_TOKEN_FILE}, default {@code push-token} next to the keys file). Without a token file
 * the route refuses everything.
 */
@ApplicationScoped
public class KeysEndpoint {

  static final int MAX_BODY = 1 << 20;

  @Inject
  Instance instance;

  @Inject
  RuntimeSettings settings;

  void register(@Observes ManagementInterface management) {
    management.router().put("/keys").handler(BodyHandler.create().setBodyLimit(MAX_BODY)).blockingHandler(this::keys);
  }

  void keys(RoutingContext ctx) {
    var keys = instance.authenticator() == null ? null : instance.authenticator().keys().orElse(null);
    if (keys == null || !PushToken.presentedIn(ctx, settings)) {
      ctx.response().setStatusCode(403).end("only the operator may hand over keys\n");
      return;
    }
    keys.replace(ctx.body().asString(StandardCharsets.UTF_8.name()).lines().toList());
    ctx.response().setStatusCode(204).end();
  }
}
