package store.code.console;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.qute.Template;

/**
 * What went wrong, as a page that says it plainly and shows nothing of what was asked: not signed in or a token
 * the API server refuses (401), what RBAC denies (403, with the API server's words: which verb on which resource),
 * what is not there (404), a bad name in the address (400), an API server out of reach (502).
 */
@Provider
public class Problems implements ExceptionMapper<RuntimeException> {
  @Inject
  Template problem;

  @Override
  public Response toResponse(RuntimeException e) {
    if (e instanceof jakarta.ws.rs.WebApplicationException w) {
      return w.getResponse(); // the framework's own answer: an unknown address, a wrong method
    }
    if (e instanceof Person.NotSignedIn) {
      return page(401, "Sign in", "This page shows what your Kubernetes identity may see: sign in with a token first.");
    }
    if (e instanceof Names.BadName) {
      return page(400, "Not a name", e.getMessage());
    }
    if (e instanceof store.code.api.ProjectChanges.Refused) {
      return page(400, "Not done", e.getMessage() + ". Nothing was changed.");
    }
    if (e instanceof SameOrigin.CrossSite) {
      return page(403, "Not from this console", e.getMessage());
    }
    KubernetesClientException k = cause(e);
    if (k == null) {
      return page(500, "Something broke", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    String said = k.getStatus() != null && k.getStatus().getMessage() != null ? k.getStatus().getMessage() : k.getMessage();
    return switch (k.getCode()) {
      case 401 -> page(401, "Sign in again", "The API server did not accept your token (expired or revoked?).");
      case 403 -> page(403, "Forbidden", "Kubernetes RBAC does not let you see this: " + said);
      case 404 -> page(404, "Not found", said);
      default -> k.getCode() <= 0
          ? page(502, "The API server is out of reach", said)
          : page(502, "The API server answered " + k.getCode(), said);
    };
  }

  private Response page(int status, String title, String message) {
    return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
        .entity(problem.data("status", status).data("title", title).data("message", message).render()).build();
  }

  private static KubernetesClientException cause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k) {
        return k;
      }
    }
    return null;
  }
}
