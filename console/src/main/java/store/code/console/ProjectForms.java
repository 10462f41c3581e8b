package store.code.console;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.qute.Template;
import store.code.api.ApiKeyRequests;
import store.code.api.ProjectChanges;
import store.code.api.SecretData;
import store.code.api.v1alpha1.ApiKey;
import store.code.api.v1alpha1.ApiKeySpec;
import store.code.api.v1alpha1.Project;
import store.code.schema.VersionRanges;

/**
 * The project page's forms: reuse a service, stop reusing one, pin an environment to versions, create and revoke
 * keys. Each change is checked before anything is written (the same checks as {@code codestore}), made with the
 * person's own token, and answered with the project page again; a refused change says why and changes nothing.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class ProjectForms {
  @Inject
  ApiServer api;
  @Inject
  Template key;

  /** Reuse a service in the project under an alias (form of the project page). */
  @POST
  @Path("projects/{namespace}/{name}/services")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response addService(@PathParam("namespace") String namespace, @PathParam("name") String name,
      @FormParam("alias") String alias, @FormParam("service") String service, @FormParam("version") String version,
      @HeaderParam("Authorization") String authorization, @CookieParam(Person.COOKIE) String cookie) {
    Names.project(namespace, name);
    String range = blankToNull(version);
    VersionRanges.problem(range).ifPresent(why -> {
      throw new ProjectChanges.Refused("version " + why);
    });
    ProjectChanges.addService(api.person(authorization, cookie), namespace, name, alias == null ? null : alias.strip(),
        ProjectChanges.serviceRef(service == null ? null : service.strip(), namespace), range);
    return backTo(namespace, name);
  }

  /** Reuse a service in a project of the person's choosing (the form of the service page, from the marketplace). */
  @POST
  @Path("services/{maker}/{service}/reuse")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response reuse(@PathParam("maker") String maker, @PathParam("service") String service,
      @FormParam("namespace") String namespace, @FormParam("project") String name, @FormParam("alias") String alias,
      @FormParam("version") String version, @HeaderParam("Authorization") String authorization,
      @CookieParam(Person.COOKIE) String cookie) {
    Names.check("namespace", maker);
    Names.check("service", service);
    String ns = namespace == null ? null : namespace.strip();
    String project = name == null ? null : name.strip();
    Names.project(ns, project);
    return addService(ns, project, alias, maker + "/" + service, version, authorization, cookie);
  }

  /**
   * Stop reusing a service: the project drops it and the operator deletes its instances (their data as each
   * instance's deletionPolicy says). The page asks the person to confirm before it posts.
   */
  @POST
  @Path("projects/{namespace}/{name}/services/{alias}/remove")
  public Response removeService(@PathParam("namespace") String namespace, @PathParam("name") String name,
      @PathParam("alias") String alias, @HeaderParam("Authorization") String authorization,
      @CookieParam(Person.COOKIE) String cookie) {
    Names.project(namespace, name);
    Names.check("alias", alias);
    ProjectChanges.removeService(api.person(authorization, cookie), namespace, name, alias);
    return backTo(namespace, name);
  }

  /** Pin one environment of one service to a version range (form of the project page). */
  @POST
  @Path("projects/{namespace}/{name}/promote")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response promote(@PathParam("namespace") String namespace, @PathParam("name") String name,
      @FormParam("alias") String alias, @FormParam("environment") String environment,
      @FormParam("version") String version, @HeaderParam("Authorization") String authorization,
      @CookieParam(Person.COOKIE) String cookie) {
    Names.project(namespace, name);
    String range = version == null ? "" : version.strip();
    if (range.isEmpty()) {
      throw new ProjectChanges.Refused("version: give a range, e.g. 2.x, ^2.1, 2.1.0, or * for any");
    }
    VersionRanges.problem(range).ifPresent(why -> {
      throw new ProjectChanges.Refused("version " + why);
    });
    ProjectChanges.promote(api.person(authorization, cookie), namespace, name, alias, environment, range);
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
      @HeaderParam("Authorization") String authorization, @CookieParam(Person.COOKIE) String cookie) {
    Names.project(namespace, name);
    KubernetesClient client = api.person(authorization, cookie);
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

  /** Revoke a key of the project: its ApiKey goes, with its Secret, and every instance refuses the key within seconds. */
  @POST
  @Path("projects/{namespace}/{name}/keys/{key}/revoke")
  public Response revokeKey(@PathParam("namespace") String namespace, @PathParam("name") String name,
      @PathParam("key") String keyName, @HeaderParam("Authorization") String authorization,
      @CookieParam(Person.COOKIE) String cookie) {
    Names.project(namespace, name);
    Names.check("key", keyName);
    KubernetesClient client = api.person(authorization, cookie);
    ApiKey k = Views.projectKey(client, namespace, name, keyName)
        .orElseThrow(() -> new ProjectChanges.Refused("project " + name + " has no key " + keyName));
    client.resource(k).delete();
    return backTo(namespace, name);
  }

  static final java.time.Duration KEY_WAIT = java.time.Duration.ofSeconds(30);

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static Response backTo(String namespace, String name) {
    return Response.seeOther(URI.create("/projects/" + namespace + "/" + name)).build();
  }
}
