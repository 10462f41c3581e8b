package store.code.console;

import java.time.Clock;

import jakarta.inject.Inject;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import store.code.api.ProjectChanges;

/**
 * The console's pages that read: the marketplace, a maker's services, a client's projects. Each reads with the
 * signed-in person's token ({@link ApiServer#person}): from the sign-in form's cookie, or from
 * {@code Authorization: Bearer <token>} on the request (scripts and tests). What the API server refuses becomes a
 * page that says so ({@link Problems}), with nothing of what was asked. Changes: {@link ProjectForms}; the instance
 * page: {@link InstancePages}; signing in: {@link SignIn}.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class Pages {
  @Inject
  ApiServer api;
  @Inject
  Clock clock;
  @Inject
  Template marketplace;
  @Inject
  Template service;
  @Inject
  Template project;
  @Inject
  Template services;
  @Inject
  Template projects;

  @GET
  @Path("marketplace")
  public TemplateInstance marketplace(@QueryParam("namespace") String namespace,
      @HeaderParam("Authorization") String authorization, @CookieParam(Person.COOKIE) String cookie) {
    String ns = namespace == null || namespace.isBlank() ? "default" : namespace.strip();
    Names.check("namespace", ns);
    return marketplace.data("namespace", ns).data("services", Views.marketplace(api.person(authorization, cookie), ns));
  }

  @GET
  @Path("services/{namespace}/{name}")
  public TemplateInstance service(@PathParam("namespace") String namespace, @PathParam("name") String name,
      @HeaderParam("Authorization") String authorization, @CookieParam(Person.COOKIE) String cookie) {
    Names.check("namespace", namespace);
    Names.check("service", name);
    return service.data("page", Views.service(api.person(authorization, cookie), namespace, name));
  }

  /** A maker's services in a namespace. */
  @GET
  @Path("services/{namespace}")
  public TemplateInstance services(@PathParam("namespace") String namespace,
      @HeaderParam("Authorization") String authorization, @CookieParam(Person.COOKIE) String cookie) {
    Names.check("namespace", namespace);
    return services.data("namespace", namespace).data("services", Views.services(api.person(authorization, cookie), namespace));
  }

  /** A client's projects in a namespace. */
  @GET
  @Path("projects/{namespace}")
  public TemplateInstance projects(@PathParam("namespace") String namespace,
      @HeaderParam("Authorization") String authorization, @CookieParam(Person.COOKIE) String cookie) {
    Names.check("namespace", namespace);
    return projects.data("namespace", namespace).data("projects", Views.projects(api.person(authorization, cookie), namespace));
  }

  @GET
  @Path("projects/{namespace}/{name}")
  public TemplateInstance project(@PathParam("namespace") String namespace, @PathParam("name") String name,
      @QueryParam("month") String month, @HeaderParam("Authorization") String authorization,
      @CookieParam(Person.COOKIE) String cookie) {
    Names.project(namespace, name);
    java.time.YearMonth billed;
    try {
      billed = month == null || month.isBlank() ? java.time.YearMonth.now(clock.withZone(java.time.ZoneOffset.UTC))
          : java.time.YearMonth.parse(month.strip());
    } catch (java.time.format.DateTimeParseException e) {
      throw new ProjectChanges.Refused("month \"" + month + "\" is not a month like 2026-11");
    }
    return project.data("page", Views.project(api.person(authorization, cookie), namespace, name, billed));
  }

}
