package store.code.console;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import store.code.api.ApiKeyRequests;
import store.code.api.ProjectChanges;
import store.code.api.SecretData;
import store.code.api.v1alpha1.ApiKey;
import store.code.api.v1alpha1.ApiKeySpec;
import store.code.api.v1alpha1.Project;
import store.code.schema.VersionRanges;

/**
 * The console's pages. Each reads with the signed-in person's token ({@link ApiServer#as}): from the sign-in form's
 * cookie, or from {@code Authorization: Bearer <token>} on the request (scripts and tests). What the API server
 * refuses becomes a page that says so ({@link Problems}), with nothing of what was asked.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class Pages {
  /** The cookie the sign-in form sets: the person's token, sent back only to this console (HttpOnly, SameSite). */
  static final String COOKIE = "codestore-token";

  @Inject
  ApiServer api;
  /** Served over HTTPS (directly or behind a TLS Ingress): the cookie goes back over HTTPS only. */
  @org.eclipse.microprofile.config.inject.ConfigProperty(name = "codestore.console.secure-cookie", defaultValue = "false")
  boolean secureCookie;
  @Inject
  Clock clock;
  @Inject
  Template signin;
  @Inject
  Template marketplace;
  @Inject
  Template service;
  @Inject
  Template project;
  @Inject
  Template key;
  @Inject
  Template services;
  @Inject
  Template projects;

  @GET
  public Response home(@HeaderParam("Authorization") String authorization, @CookieParam(COOKIE) String cookie) {
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
    return Response.seeOther(URI.create(next)).cookie(new NewCookie.Builder(COOKIE).value(t).path("/").httpOnly(true)
        .secure(secureCookie).sameSite(NewCookie.SameSite.STRICT).build()).build();
  }

  @POST
  @Path("sign-out")
  public Response signOut(@CookieParam(COOKIE) String cookie) {
    if (cookie != null) {
      api.forget(cookie);
    }
    return Response.seeOther(URI.create("/sign-in")).cookie(new NewCookie.Builder(COOKIE).value("").path("/")
        .httpOnly(true).maxAge(0).build()).build();
  }

  @GET
  @Path("marketplace")
  public TemplateInstance marketplace(@QueryParam("namespace") String namespace,
      @HeaderParam("Authorization") String authorization, @CookieParam(COOKIE) String cookie) {
    String ns = namespace == null || namespace.isBlank() ? "default" : namespace.strip();
    Names.check("namespace", ns);
    return marketplace.data("namespace", ns).data("services", Views.marketplace(person(authorization, cookie), ns));
  }

  @GET
  @Path("services/{namespace}/{name}")
  public TemplateInstance service(@PathParam("namespace") String namespace, @PathParam("name") String name,
      @HeaderParam("Authorization") String authorization, @CookieParam(COOKIE) String cookie) {
    Names.check("namespace", namespace);
    Names.check("service", name);
    return service.data("page", Views.service(person(authorization, cookie), namespace, name));
  }

  /** A maker's services in a namespace. */
  @GET
  @Path("services/{namespace}")
  public TemplateInstance services(@PathParam("namespace") String namespace,
      @HeaderParam("Authorization") String authorization, @CookieParam(COOKIE) String cookie) {
    Names.check("namespace", namespace);
    return services.data("namespace", namespace).data("services", Views.services(person(authorization, cookie), namespace));
  }

  /** A client's projects in a namespace. */
  @GET
  @Path("projects/{namespace}")
  public TemplateInstance projects(@PathParam("namespace") String namespace,
      @HeaderParam("Authorization") String authorization, @CookieParam(COOKIE) String cookie) {
    Names.check("namespace", namespace);
    return projects.data("namespace", namespace).data("projects", Views.projects(person(authorization, cookie), namespace));
  }

  @GET
  @Path("projects/{namespace}/{name}")
  public TemplateInstance project(@PathParam("namespace") String namespace, @PathParam("name") String name,
      @QueryParam("month") String month, @HeaderParam("Authorization") String authorization,
      @CookieParam(COOKIE) String cookie) {
    Names.project(namespace, name);
    java.time.YearMonth billed;
    try {
      billed = month == null || month.isBlank() ? java.time.YearMonth.now(clock.withZone(java.time.ZoneOffset.UTC))
          : java.time.YearMonth.parse(month.strip());
    } catch (java.time.format.DateTimeParseException e) {
      throw new ProjectChanges.Refused("month \"" + month + "\" is not a month like 2026-11");
    }
    return project.data("page", Views.project(person(authorization, cookie), namespace, name, billed));
  }

  /** Reuse a service in the project under an alias (form of the project page). */
  @POST
  @Path("projects/{namespace}/{name}/services")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response addService(@PathParam("namespace") String namespace, @PathParam("name") String name,
      @FormParam("alias") String alias, @FormParam("service") String service, @FormParam("version") String version,
      @HeaderParam("Authorization") String authorization, @CookieParam(COOKIE) String cookie) {
    Names.project(namespace, name);
    String range = blankToNull(version);
    VersionRanges.problem(range).ifPresent(why -> {
      throw new ProjectChanges.Refused("version " + why);
    });
    ProjectChanges.addService(person(authorization, cookie), namespace, name, alias == null ? null : alias.strip(),
        ProjectChanges.serviceRef(service == null ? null : service.strip(), namespace), range);
    return backTo(namespace, name);
  }

  /** Pin one environment of one service to a version range (form of the project page). */
  @POST
  @Path("projects/{namespace}/{name}/promote")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response promote(@PathParam("namespace") String namespace, @PathParam("name") String name,
      @FormParam("alias") String alias, @FormParam("environment") String environment,
      @FormParam("version") String version, @HeaderParam("Authorization") String authorization,
      @CookieParam(COOKIE) String cookie) {
    Names.project(namespace, name);
    String range = version == null ? "" : version.strip();
    if (range.isEmpty()) {
      throw new ProjectChanges.Refused("version: give a range, e.g. 2.x, ^2.1, 2.1.0, or * for any");
    }
    VersionRanges.problem(range).ifPresent(why -> {
      throw new ProjectChanges.Refused("version " + why);
    });
    ProjectChanges.promote(person(authorization, cookie), namespace, name, alias, environment, range);
    return backTo(namespace, name);
  }

  /**
   * Make an API key of the project and show it, once: the page is not cached, and the key stays only in its
   * Secret, which those who may read Secrets of the namespace can read.
   */
  @POST
  @Path("projects/{namespace}/{name}/keys")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response createKey(@PathParam("namespace") String namespace, @PathParam("name") String name,
      @FormParam("environment") String environment, @FormParam("description") String description,
      @HeaderParam("Authorization") String authorization, @CookieParam(COOKIE) String cookie) {
    Names.project(namespace, name);
    KubernetesClient client = person(authorization, cookie);
    Project p = ProjectChanges.get(client, namespace, name);
    String env = blankToNull(environment);
    if (env != null) {
      ProjectChanges.environment(p, env);
    }
    ApiKey k = new ApiKey();
    k.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(ApiKeyRequests.randomName(name + "-key"))
        .build());
    k.setSpec(new ApiKeySpec());
    k.getSpec().setProject(name);
    k.getSpec().setEnvironments(env == null ? new ArrayList<>() : new ArrayList<>(List.of(env)));
    k.getSpec().setDescription(blankToNull(description));
    Secret secret = ApiKeyRequests.create(client, k, KEY_WAIT).orElseThrow(() -> new ProjectChanges.Refused("ApiKey "
        + k.getMetadata().getName() + " was made, but the operator wrote no key within " + KEY_WAIT.toSeconds()
        + " s: is the code.store operator running?"));
    return Response.ok(key.data("namespace", namespace).data("project", name).data("name", k.getMetadata().getName())
        .data("environment", env == null ? "every environment" : env)
        .data("key", SecretData.decode(secret).get(ApiKey.SECRET_KEY)))
        .header("Cache-Control", "no-store").build();
  }

  static final java.time.Duration KEY_WAIT = java.time.Duration.ofSeconds(30);

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static Response backTo(String namespace, String name) {
    return Response.seeOther(URI.create("/projects/" + namespace + "/" + name)).build();
  }

  private KubernetesClient person(String authorization, String cookie) {
    return api.as(Person.token(authorization, cookie).orElseThrow(Person.NotSignedIn::new));
  }
}
