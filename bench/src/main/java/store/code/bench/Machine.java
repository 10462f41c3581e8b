package store.code.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One line about the machine a benchmark ran on, for its report. */
final class Machine {

  private Machine() {}

  static String describe() {
    String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
    long memGiB = firstValue(Path.of("/proc/meminfo"), "MemTotal").map(v -> Long.parseLong(v.replaceAll("[^0-9]", "")) / 1024 / 1024)
        .orElse(-1L);
    return String.format("%s, %d cores, %d GiB; %s %s; Java %s; %s", cpu, Runtime.getRuntime().availableProcessors(), memGiB,
        System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"), node());
  }

  private static java.util.Optional<String> firstValue(Path file, String key) {
    try {
      return Files.readAllLines(file).stream().filter(l -> l.startsWith(key)).map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst();
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }

  private static String node() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      return "Node " + new String(p.getInputStream().readAllBytes()).trim();
    } catch (IOException e) {
      return "no Node";
    }
  }
}
