package store.code.console;

import java.util.HashMap;
import java.util.Map;

import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A test API server for the console's pages: Fabric8's mock in CRUD mode (what is created is read back), with
 * expectations added by tests for what CRUD mode cannot do (refusing a token, RBAC denials). It checks no token
 * itself: the pages' tests give each refusal explicitly.
 */
public class MockApiServer implements QuarkusTestResourceLifecycleManager {
  static KubernetesMockServer server;

  @Override
  public Map<String, String> start() {
    var responses = new HashMap<io.fabric8.mockwebserver.ServerRequest, java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>();
    server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), responses,
        new KubernetesMixedDispatcher(responses), false);
    server.init();
    return Map.of("codestore.console.api-server", server.url("/"));
  }

  @Override
  public void stop() {
    if (server != null) {
      server.destroy();
    }
  }
}
