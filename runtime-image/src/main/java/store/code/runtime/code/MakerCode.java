package store.code.runtime.code;

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

import store.code.sdk.CodeHandler;

/**
 * The maker's handlers: every {@link CodeHandler} listed under {@code META-INF/services} in the jars of the code
 * directory, by name. Loading never fails the runtime: what went wrong is kept in {@link #problems()} (shown by the
 * readiness check and the log) and the fields of a missing handler answer with an error naming it.
 */
public final class MakerCode {

  private final Map<String, CodeHandler> handlers;
  private final List<String> jars;
  private final List<String> problems;

  private MakerCode(Map<String, CodeHandler> handlers, List<String> jars, List<String> problems) {
    this.handlers = handlers;
    this.jars = jars;
    this.problems = problems;
  }

  public static MakerCode of(List<CodeHandler> handlers) {
    Map<String, CodeHandler> byName = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (CodeHandler h : handlers) {
      if (byName.putIfAbsent(h.name(), h) != null) {
        problems.add("two handlers are named " + h.name() + " (" + byName.get(h.name()).getClass().getName() + ", "
            + h.getClass().getName() + "); the first one serves it");
      }
    }
    return new MakerCode(byName, List.of(), problems);
  }

  /** Loads the jars of {@code dir} (a missing directory means no maker code). */
  public static MakerCode load(Path dir) {
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
      MakerCode none = of(List.of());
      return new MakerCode(none.handlers, names, problems);
    }
    // the SDK comes from the runtime (parent first), so a maker jar that bundles it still shares our interfaces
    URLClassLoader loader = new URLClassLoader("maker-code", urls.toArray(URL[]::new), MakerCode.class.getClassLoader());
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
    MakerCode loaded = of(found);
    problems.addAll(loaded.problems);
    return new MakerCode(loaded.handlers, names, problems);
  }

  public Optional<CodeHandler> handler(String name) {
    return Optional.ofNullable(handlers.get(name));
  }

  public List<String> names() {
    return List.copyOf(handlers.keySet());
  }

  public List<String> jars() {
    return jars;
  }

  public List<String> problems() {
    return problems;
  }

}
