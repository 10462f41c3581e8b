package store.code.console;

import java.net.URI;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * A change (POST) comes from the console's own pages: a browser names the page's origin, and one of another site is
 * refused. The sign-in cookie is SameSite=Strict as well, so another site's form carries no token; this is the second
 * lock. Scripts that send no Origin (curl with a bearer token) are not browsers and pass.
 */
@Provider
public class SameOrigin implements ContainerRequestFilter {
  @Override
  public void filter(ContainerRequestContext request) {
    if (!"POST".equals(request.getMethod())) {
      return;
    }
    String origin = request.getHeaderString("Origin");
    if (origin == null) {
      return; // not sent by a browser on another site's behalf
    }
    String host = request.getUriInfo().getRequestUri().getAuthority(); // from the Host header
    String originHost;
    try {
      originHost = URI.create(origin).getAuthority();
    } catch (IllegalArgumentException e) {
      originHost = null;
    }
    if (host == null || !host.equalsIgnoreCase(originHost)) {
      throw new CrossSite("a change sent from " + origin + " is refused: changes are made from this console's pages");
    }
  }

  static final class CrossSite extends RuntimeException {
    CrossSite(String message) {
      super(message);
    }
  }
}
