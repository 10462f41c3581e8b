package store.code.console;

import java.net.URI;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;

/**
 * Signing in and out. The token a person pastes is checked with the API server and kept in a cookie only this
 * console gets back; the console keeps no session of its own.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class SignIn {
  @Inject
  ApiServer api;
  /** Served over HTTPS (directly or behind a TLS Ingress): the cookie goes back over HTTPS only. */
  @ConfigProperty(name = "codestore.console.secure-cookie", defaultValue = "false")
  boolean secureCookie;
  @Inject
  Template signin;

  @GET
  public Response home(@HeaderParam("Authorization") String authorization, @CookieParam(Person.COOKIE) String cookie) {
    return Response.seeOther(URI.create(Person.token(authorization, cookie).isPresent() ? "/marketplace" : "/sign-in"))
        .build();
  }

  @GET
  @Path("sign-in")
  public TemplateInstance signInForm() {
    return signin.data("apiServer", api.url()).data("problem", null);
  }

  /** Checks the token with the API server (a SelfSubjectAccessReview, which every signed-in identity may create). */
  @POST
  @Path("sign-in")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response signIn(@FormParam("token") String token, @FormParam("namespace") String namespace) {
    String t = token == null ? "" : token.strip();
    if (t.isEmpty()) {
      return Response.status(400).entity(signin.data("apiServer", api.url()).data("problem", "Paste a token.")).build();
    }
    String ns = namespace == null || namespace.isBlank() ? null : namespace.strip();
    if (ns != null) {
      Names.check("namespace", ns);
    }
    try {
      api.as(t).authorization().v1().selfSubjectAccessReview().create(new SelfSubjectAccessReviewBuilder()
          .withNewSpec().withNewResourceAttributes().withGroup("code.store").withResource("projects").withVerb("list")
          .withNamespace(ns == null ? "default" : ns)
          .endResourceAttributes().endSpec().build());
    } catch (KubernetesClientException e) {
      api.forget(t);
      if (e.getCode() == 401) {
        return Response.status(401).entity(signin.data("apiServer", api.url())
            .data("problem", "The API server did not accept this token.")).build();
      }
      throw e;
    }
    String next = ns == null ? "/marketplace" : "/marketplace?namespace=" + ns;
    return Response.seeOther(URI.create(next)).cookie(new NewCookie.Builder(Person.COOKIE).value(t).path("/").httpOnly(true)
        .secure(secureCookie).sameSite(NewCookie.SameSite.STRICT).build()).build();
  }

  @POST
  @Path("sign-out")
  public Response signOut(@CookieParam(Person.COOKIE) String cookie) {
    if (cookie != null) {
      api.forget(cookie);
    }
    return Response.seeOther(URI.create("/sign-in")).cookie(new NewCookie.Builder(Person.COOKIE).value("").path("/")
        .httpOnly(true).maxAge(0).build()).build();
  }
}
