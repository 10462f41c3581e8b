package store.code.runtime.probe;

import java.lang.reflect.Field;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import store.code.sdk.CodeContext;
import store.code.sdk.CodeException;
import store.code.sdk.CodeHandler;

/**
 * A hostile maker's jar: each handler tries one attack on the instance that runs it. {@code CodeIsolationIT} packs
 * these classes into a jar and serves them as a Service's maker code would be served, then checks that every attack
 * fails and the instance keeps serving.
 */
public final class Probes {

  private Probes() {}

  abstract static class Probe implements CodeHandler {
    private final String name;

    Probe(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }
  }

  /** Which process answers: the test sees a restart as a new pid. */
  public static final class Ping extends Probe {
    public Ping() {
      super("probe.ping");
    }

    @Override
    public Object handle(CodeContext ctx) {
      return "pong from " + ProcessHandle.current().pid();
    }
  }

  /** Every environment variable and system property it can see, looking for credentials. */
  public static final class Environment extends Probe {
    public Environment() {
      super("probe.env");
    }

    @Override
    public Object handle(CodeContext ctx) {
      Map<String, Object> seen = new TreeMap<>(System.getenv());
      System.getProperties().forEach((k, v) -> seen.put("property:" + k, String.valueOf(v)));
      return seen.toString();
    }
  }

  /** Writes to the runtime's own tables through every name it can think of. */
  public static final class Usage extends Probe {
    public Usage() {
      super("probe.usage");
    }

    @Override
    public Object handle(CodeContext ctx) {
      List<String> answers = new ArrayList<>();
      for (String model : List.of("codestore_usage", "CodestoreUsage", "UsageCounter", "codestore_usage_flushes")) {
        try {
          ctx.data().create(model, Map.of("counter", "requests", "value", 1_000_000_000));
          answers.add(model + ": WRITTEN");
        } catch (CodeException e) {
          answers.add(model + ": " + e.code());
        }
      }
      return String.join(", ", answers);
    }
  }

  static volatile String stolenToken;
  static volatile String stolenCallback;

  /** Reads its call's token and callback address out of the context by reflection, to use them later. */
  public static final class Steal extends Probe {
    public Steal() {
      super("probe.steal");
    }

    @Override
    public Object handle(CodeContext ctx) throws Exception {
      Object call = field(ctx, "call");
      stolenToken = (String) call.getClass().getMethod("token").invoke(call);
      stolenCallback = (String) call.getClass().getMethod("callbackUrl").invoke(call);
      return "stolen";
    }

    private static Object field(Object o, String name) throws ReflectiveOperationException {
      Field f = o.getClass().getDeclaredField(name);
      f.setAccessible(true);
      return f.get(o);
    }
  }

  /** Uses the token stolen in an earlier call, after that call ended. */
  public static final class Replay extends Probe {
    public Replay() {
      super("probe.replay");
    }

    @Override
    public Object handle(CodeContext ctx) throws Exception {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stolenCallback + "/data"))
          .header("X-Codestore-Call-Token", stolenToken)
          .POST(HttpRequest.BodyPublishers.ofString("{\"op\":\"CREATE\",\"model\":\"Note\",\"input\":{\"text\":\"replayed\"}}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      return r.body();
    }
  }

  /** Looks for the host's and the runtime's classes (a database driver, the host's server, its JSON library). */
  public static final class Classes extends Probe {
    public Classes() {
      super("probe.classes");
    }

    @Override
    public Object handle(CodeContext ctx) {
      List<String> found = new ArrayList<>();
      for (String name : List.of("org.postgresql.Driver", "store.code.codehost.CodeHost",
          "com.fasterxml.jackson.databind.ObjectMapper", "store.code.runtime.code.MakerCode", "store.code.sdk.Row")) {
        try {
          Class.forName(name, false, Classes.class.getClassLoader());
          found.add(name);
        } catch (ClassNotFoundException e) {
          // what the probe should see
        }
      }
      return String.join(",", found);
    }
  }

  /** Ends the process that runs it, at once. */
  public static final class Halt extends Probe {
    public Halt() {
      super("probe.halt");
    }

    @Override
    public Object handle(CodeContext ctx) {
      Runtime.getRuntime().halt(3);
      return 0;
    }
  }

  /** Never returns, and keeps a core busy. */
  public static final class Loop extends Probe {
    public Loop() {
      super("probe.loop");
    }

    @Override
    public Object handle(CodeContext ctx) {
      long n = 0;
      while (n >= 0) {
        n = (n + 1) % Long.MAX_VALUE;
      }
      return n;
    }
  }

  /** Asks for 1 GiB of memory and keeps it. */
  public static final class Allocate extends Probe {
    static final List<byte[]> KEPT = new ArrayList<>();

    public Allocate() {
      super("probe.allocate");
    }

    @Override
    public Object handle(CodeContext ctx) {
      for (int i = 0; i < 1024; i++) {
        KEPT.add(new byte[1024 * 1024]);
      }
      return KEPT.size();
    }
  }

  /** Writes a note, then fails: the note must not stay. */
  public static final class WriteThenFail extends Probe {
    public WriteThenFail() {
      super("probe.writeThenFail");
    }

    @Override
    public Object handle(CodeContext ctx) {
      ctx.data().create("Note", Map.of("text", "must be rolled back"));
      Runtime.getRuntime().halt(3);
      return null;
    }
  }
}
