package store.code.cli.maker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import store.code.cli.UserError;
import store.code.schema.SchemaCompiler;
import store.code.schema.SchemaException;

/**
 * {@code codestore dev <service.yaml>}: the service on this machine, as {@code make serve} runs it (the runtime an
 * instance runs, an embedded Postgres and S3, no cluster), started again when its schema or its maker code's jars
 * change. A schema that does not compile is reported and the running one keeps serving. Runs from a checkout of the
 * platform (it starts the runtime with Maven there).
 */
@Command(name = "dev", description = "Run a service on this machine (no cluster), restarting when its schema or code changes.")
public class DevCommand implements Callable<Integer> {
  @Parameters(paramLabel = "SERVICE", description = "service.yaml (or schema.graphql)")
  Path service;

  @Option(names = "--code", description = "The maker code's jars (default: code/target beside the manifest, if any).")
  Path code;

  @Option(names = "--port", defaultValue = "8080", description = "API port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--state", description = "Where its data is kept (default: ~/.cache/codestore/serve).")
  Path state;

  @Option(names = "--platform", description = "The platform's checkout (default: found from the working directory "
      + "or from this command's jar).")
  Path platform;

  @Spec
  CommandSpec spec;

  private Process child;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path root = platformRoot();
    ValidateCommand.Located schema = ValidateCommand.read(service.toAbsolutePath());
    compileOrThrow(schema);
    Path codeDir = code != null ? code.toAbsolutePath() : service.toAbsolutePath().resolveSibling("code").resolve("target");
    Path stateDir = state != null ? state.toAbsolutePath()
        : Path.of(System.getProperty("user.home"), ".cache", "codestore", "serve");
    List<Path> watched = new ArrayList<>(List.of(schema.file().toAbsolutePath().getParent()));
    if (Files.isDirectory(codeDir)) {
      watched.add(codeDir);
    }
    try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
      for (Path dir : watched) {
        dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
      }
      Thread stop = new Thread(this::stopChild);
      Runtime.getRuntime().addShutdownHook(stop);
      start(root, schema.file(), codeDir, stateDir, out);
      out.println("watching " + watched + " (Ctrl-C stops)");
      out.flush();
      while (!Thread.currentThread().isInterrupted()) {
        var key = watcher.poll(500, TimeUnit.MILLISECONDS);
        if (key == null) {
          continue;
        }
        boolean relevant = key.pollEvents().stream().map(e -> String.valueOf(e.context()))
            .anyMatch(f -> f.endsWith(".graphql") || f.endsWith(".yaml") || f.endsWith(".yml") || f.endsWith(".jar"));
        key.reset();
        if (!relevant) {
          continue;
        }
        Thread.sleep(300); // let an editor or Maven finish writing
        try {
          schema = ValidateCommand.read(service.toAbsolutePath());
          compileOrThrow(schema);
        } catch (UserError e) {
          out.println("not restarted, the running version keeps serving: " + e.getMessage());
          out.flush();
          continue;
        }
        out.println("change seen: restarting");
        out.flush();
        stopChild();
        start(root, schema.file(), codeDir, stateDir, out);
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopChild();
    }
    return 0;
  }

  private static void compileOrThrow(ValidateCommand.Located schema) {
    try {
      SchemaCompiler.compile(schema.sdl());
    } catch (SchemaException e) {
      throw new UserError("the schema does not compile:\n" + String.join("\n", schema.where(e)));
    }
  }

  /** {@code make serve}'s process: the runtime's Serve, through Maven in the platform's checkout; its output is ours. */
  private void start(Path root, Path schemaFile, Path codeDir, Path stateDir, PrintWriter out) throws IOException {
    List<String> command = List.of("mvn", "-q", "-B", "-pl", "runtime-image", "exec:java",
        "-Dexec.args=" + schemaFile.toAbsolutePath() + " " + (Files.isDirectory(codeDir) ? codeDir : "-") + " " + port
            + " " + stateDir);
    child = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
    Process p = child;
    Thread pump = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (out) {
            out.println(line);
            out.flush();
          }
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "dev-output");
    pump.setDaemon(true);
    pump.start();
  }

  private void stopChild() {
    Process p = child;
    if (p == null) {
      return;
    }
    List<ProcessHandle> all = p.descendants().toList();
    p.destroy(); // SIGTERM: its shutdown hook stops the runtime, Postgres and S3 it started
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    child = null;
  }

  /** The checkout with runtime-image/ (given, the working directory or a parent, or where this jar was built). */
  private Path platformRoot() {
    List<Path> candidates = new ArrayList<>();
    if (platform != null) {
      candidates.add(platform.toAbsolutePath());
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      candidates.add(p);
    }
    try {
      Path jar = Path.of(DevCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path p = jar; p != null; p = p.getParent()) {
        candidates.add(p);
      }
    } catch (Exception e) {
      // no location: the other candidates decide
    }
    return candidates.stream().filter(p -> Files.isRegularFile(p.resolve("runtime-image").resolve("pom.xml")))
        .findFirst().orElseThrow(() -> new UserError("codestore dev runs the platform's runtime from its checkout: run "
            + "it inside the checkout, or give --platform <checkout>"));
  }
}
