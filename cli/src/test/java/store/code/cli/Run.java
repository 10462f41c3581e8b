package store.code.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One invocation of the command line: its exit code and what it printed. */
record Run(int exit, String out, String err) {
  static Run of(Clients clients, String... args) {
    return at(java.time.Clock.systemUTC(), clients, args);
  }

  /** With "now" fixed, for what defaults to this month. */
  static Run at(java.time.Clock clock, Clients clients, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Codestore.commandLine(clients, clock, new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new Run(exit, out.toString(), err.toString());
  }
}
