package store.code.codehost;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import store.code.codehost.wire.Inventory;
import store.code.sdk.CodeHandler;

/**
 * The maker's handlers: every {@link CodeHandler} listed under {@code META-INF/services} in the jars of the code
 * directory, by name. Loading never fails the host: what went wrong is kept in {@link #problems()} (logged, and shown
 * by the runtime's readiness data) and the fields of a missing handler answer with an error naming it.
 */
public final class Handlers {

  private final Map<String, CodeHandler> byName;
  private final List<String> jars;
  private final List<String> problems;

  private Handlers(Map<String, CodeHandler> byName, List<String> jars, List<String> problems) {
    this.byName = byName;
    this.jars = jars;
    this.problems = problems;
  }

  public static Handlers of(List<CodeHandler> handlers) {
    return named(handlers, List.of(), new ArrayList<>());
  }

  private static Handlers named(List<CodeHandler> handlers, List<String> jars, List<String> problems) {
    Map<String, CodeHandler> byName = new LinkedHashMap<>();
    for (CodeHandler h : handlers) {
      if (byName.putIfAbsent(h.name(), h) != null) {
        problems.add("two handlers are named " + h.name() + " (" + byName.get(h.name()).getClass().getName() + ", "
            + h.getClass().getName() + "); the first one serves it");
      }
    }
    return new Handlers(byName, List.copyOf(jars), List.copyOf(problems));
  }

  /** Loads the jars of {@code dir} (a missing directory means no maker code). */
  public static Handlers load(Path dir) {
    List<String> problems = new ArrayList<>();
    List<URL> urls = new ArrayList<>();
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
          urls.add(jar.toUri().toURL());
          names.add(jar.getFileName().toString());
        }
      } catch (IOException e) {
        problems.add("cannot list " + dir + ": " + e.getMessage());
      }
    }
    if (urls.isEmpty()) {
      return named(List.of(), names, problems);
    }
    URLClassLoader loader = new URLClassLoader("maker-code", urls.toArray(URL[]::new), new SdkOnly(Handlers.class.getClassLoader()));
    List<CodeHandler> found = new ArrayList<>();
    var it = ServiceLoader.load(CodeHandler.class, loader).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        found.add(it.next());
      } catch (ServiceConfigurationError | LinkageError e) {
        problems.add("a handler in " + names + " could not be loaded: " + e.getMessage());
      }
    }
    return named(found, names, problems);
  }

  public Optional<CodeHandler> handler(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Inventory inventory() {
    return new Inventory(List.copyOf(byName.keySet()), jars, problems);
  }

  /**
   * The parent of the maker's class loader: the JDK and the SDK's interfaces (so a jar that bundles the SDK still
   * shares them), nothing of the host. A maker's jar brings its own libraries, Jackson included, in any version.
   */
  private static final class SdkOnly extends ClassLoader {
    private final ClassLoader host;

    SdkOnly(ClassLoader host) {
      super("sdk-only", ClassLoader.getPlatformClassLoader());
      this.host = host;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith("store.code.sdk.")) {
        return host.loadClass(name);
      }
      return super.loadClass(name, resolve);
    }
  }
}
