package store.code.cli;

import java.util.concurrent.Callable;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Shell completion: {@code source <(codestore completion bash)}, or the same in zsh. */
@Command(name = "completion", description = "Print a completion script: source <(codestore completion bash|zsh).")
public class CompletionCommand implements Callable<Integer> {
  enum Shell { bash, zsh }

  @Parameters(paramLabel = "SHELL", description = "bash or zsh")
  Shell shell;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    String script = AutoComplete.bash("codestore", spec.root().commandLine());
    // zsh runs bash completion scripts through bashcompinit
    spec.commandLine().getOut().print(shell == Shell.zsh ? "autoload -U +X bashcompinit && bashcompinit\n" + script : script);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
