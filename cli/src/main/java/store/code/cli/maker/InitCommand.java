package store.code.cli.maker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import store.code.cli.UserError;

/**
 * {@code codestore init <name>}: a new service to start from: its schema ({@code schema.graphql}), its Service
 * manifest ({@code service.yaml}, whose schema is that file: validate and publish read it from there), and a
 * maker-code project ({@code code/}) with one handler and its test, that builds with Maven against the SDK.
 */
@Command(name = "init", description = "Start a new service: schema.graphql, service.yaml and a maker-code project.")
public class InitCommand implements Callable<Integer> {
  static final Pattern NAME = Pattern.compile("^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$");

  @Parameters(paramLabel = "NAME", description = "The Service's name (a lower-case DNS label), also the directory.")
  String name;

  @Option(names = "--dir", description = "Where to create it (default: ./NAME).")
  Path dir;

  @Option(names = "--namespace", description = "The maker's namespace written into service.yaml (default: none).")
  String namespace;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (!NAME.matcher(name).matches()) {
      throw new UserError("\"" + name + "\" is not a lower-case DNS label of at most 40 characters (a Service name)");
    }
    Path root = dir != null ? dir : Path.of(name);
    if (Files.exists(root) && (!Files.isDirectory(root) || Files.list(root).findAny().isPresent())) {
      throw new UserError(root + " exists and is not an empty directory; nothing was written");
    }
    String pkg = "com.example." + name.replace("-", "");
    String handler = name + ".hello";
    Map<String, String> files = new LinkedHashMap<>();
    files.put("schema.graphql", """
        # The service's API: every @model type becomes a table and a generated GraphQL API (docs/runtime.md).
        type Note @model {
          text: String!
          pinned: Boolean @default(value: false)
        }

        type Query {
          # served by maker code: code/src/main/java/%s/Hello.java
          hello(name: String): String @code(handler: "%s")
        }
        """.formatted(pkg.replace('.', '/'), handler));
    files.put("service.yaml", """
        # codestore validate service.yaml; codestore publish service.yaml
        # spec.schema is left out: the CLI reads it from schema.graphql beside this file.
        apiVersion: code.store/v1alpha1
        kind: Service
        metadata:
          name: %s%s
        spec:
          version: 0.1.0
          description: %s
          visibility: Private
          # code:
          #   image: <registry>/%s-code:0.1.0   # built from code/ (code/Dockerfile)
        """.formatted(name, namespace == null ? "" : "\n  namespace: " + namespace, name, name));
    files.put("code/pom.xml", """
        <?xml version="1.0" encoding="UTF-8"?>
        <project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                 xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
          <modelVersion>4.0.0</modelVersion>
          <groupId>com.example</groupId>
          <artifactId>%s-code</artifactId>
          <version>0.1.0</version>
          <name>%s: maker code</name>

          <properties>
            <maven.compiler.release>17</maven.compiler.release>
            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
          </properties>

          <dependencies>
            <dependency>
              <!-- provided: the platform has the SDK; your jar carries only your classes (make build installs it) -->
              <groupId>store.code</groupId>
              <artifactId>codestore-sdk</artifactId>
              <version>0.1.0-SNAPSHOT</version>
              <scope>provided</scope>
            </dependency>
            <dependency>
              <groupId>org.junit.jupiter</groupId>
              <artifactId>junit-jupiter</artifactId>
              <version>5.10.3</version>
              <scope>test</scope>
            </dependency>
          </dependencies>

          <build>
            <plugins>
              <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-compiler-plugin</artifactId>
                <version>3.13.0</version>
              </plugin>
              <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-surefire-plugin</artifactId>
                <version>3.5.2</version>
              </plugin>
              <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-resources-plugin</artifactId>
                <version>3.3.1</version>
              </plugin>
              <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-jar-plugin</artifactId>
                <version>3.4.2</version>
              </plugin>
            </plugins>
          </build>
        </project>
        """.formatted(name, name));
    String dirOf = "code/src/main/java/" + pkg.replace('.', '/') + "/";
    files.put(dirOf + "Hello.java", """
        package %s;

        import store.code.sdk.CodeContext;
        import store.code.sdk.CodeHandler;

        /** Query.hello: a greeting, in the language the project's config sets (GREETING, default "Hello"). */
        public class Hello implements CodeHandler {
          @Override
          public String name() {
            return "%s";
          }

          @Override
          public Object handle(CodeContext ctx) {
            String who = ctx.argument("name", String.class).orElse("world");
            return ctx.config().getOrDefault("GREETING", "Hello") + ", " + who + "!";
          }
        }
        """.formatted(pkg, handler));
    files.put("code/src/main/resources/META-INF/services/store.code.sdk.CodeHandler", pkg + ".Hello\n");
    files.put("code/src/test/java/" + pkg.replace('.', '/') + "/HelloTest.java", """
        package %s;

        import static org.junit.jupiter.api.Assertions.assertEquals;

        import java.util.HashMap;
        import java.util.Map;

        import org.junit.jupiter.api.Test;

        import store.code.sdk.CodeContext;

        class HelloTest {
          /** Just what the handler reads: arguments and config. */
          static CodeContext context(Map<String, Object> arguments, Map<String, String> config) {
            return (CodeContext) java.lang.reflect.Proxy.newProxyInstance(HelloTest.class.getClassLoader(),
                new Class<?>[] {CodeContext.class}, (proxy, method, args) -> switch (method.getName()) {
                  case "arguments" -> arguments;
                  case "config" -> config;
                  default -> method.isDefault() ? java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args)
                      : null;
                });
          }

          @Test
          void greetsByNameInTheConfiguredWay() {
            assertEquals("Hello, Ada!", new Hello().handle(context(Map.of("name", "Ada"), Map.of())));
            assertEquals("Grüezi, world!", new Hello().handle(context(new HashMap<>(), Map.of("GREETING", "Grüezi"))));
          }
        }
        """.formatted(pkg));
    files.put("code/Dockerfile", """
        # The maker-code image: your jar under /code, a shell, a numeric non-root user (docs/runtime.md)
        FROM busybox:1.36
        COPY target/%s-code-0.1.0.jar /code/
        USER 185
        """.formatted(name));
    for (var f : files.entrySet()) {
      Path p = root.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue());
    }
    var out = spec.commandLine().getOut();
    out.println("Service " + name + " started in " + root + ":");
    files.keySet().forEach(f -> out.println("  " + f));
    out.println("Next: codestore validate " + root.resolve("service.yaml") + "; (cd " + root.resolve("code")
        + " && mvn package); codestore publish " + root.resolve("service.yaml") + " -n <your namespace>");
    out.flush();
    return 0;
  }
}
