package store.code.runtime.app;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/** GraphiQL's files are served at /graphql-ui/ (from the smallrye-graphql-ui-graphiql jar); /graphql/ui leads there. */
@Path("/graphql/ui")
public class GraphiqlRedirect {

  @GET
  public Response ui() {
    return Response.status(Response.Status.FOUND).header("Location", "/graphql-ui/").build();
  }
}
