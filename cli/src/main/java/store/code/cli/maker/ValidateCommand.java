package store.code.cli.maker;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.client.utils.Serialization;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import store.code.cli.UserError;
import store.code.schema.CompiledSchema;
import store.code.schema.SchemaCompiler;
import store.code.schema.SchemaException;

/**
 * {@code codestore validate <schema.graphql|service.yaml>}: the operator's own schema compiler, offline. Errors are
 * printed as {@code file:line:col: message}, positions in the file given (inside a manifest, the schema's block).
 */
@Command(name = "validate", description = "Compile a schema (a .graphql file, or a Service manifest's spec.schema) "
    + "offline, with the same compiler the platform uses.")
public class ValidateCommand implements Callable<Integer> {
  private static final Pattern SCHEMA_KEY = Pattern.compile("^(\\s*)schema:\\s*[|>][-+]?\\s*$");

  @Parameters(paramLabel = "FILE", description = "schema.graphql, or service.yaml (a Service manifest)")
  Path file;

  @Spec
  CommandSpec spec;

  /** The SDL, the file it is in, and where its first line is in that file (0-based line offset, column offset). */
  record Located(String sdl, Path file, int lineOffset, int columnOffset) {
    /** Each error of compiling {@link #sdl}, as {@code file:line:col: message} at its place in {@link #file}. */
    List<String> where(SchemaException e) {
      return e.errors().stream().map(err -> file + ":" + (err.line() + lineOffset) + ":" + (err.column() + columnOffset)
          + ": " + err.message()).toList();
    }
  }

  @Override
  public Integer call() {
    Located schema = read(file);
    PrintWriter out = spec.commandLine().getOut();
    try {
      CompiledSchema compiled = SchemaCompiler.compile(schema.sdl());
      out.println(schema.file() + ": valid: " + compiled.models().size() + " models, schema hash " + compiled.hash());
      out.flush();
      return 0;
    } catch (SchemaException e) {
      PrintWriter err = spec.commandLine().getErr();
      schema.where(e).forEach(err::println);
      err.flush();
      return store.code.cli.Codestore.USER_ERROR;
    }
  }

  static Located read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
    }
    String name = file.getFileName().toString();
    if (!name.endsWith(".yaml") && !name.endsWith(".yml")) {
      return new Located(text, file, 0, 0);
    }
    Object schemaText;
    try {
      Map<?, ?> manifest = Serialization.unmarshal(text, Map.class);
      if (manifest == null || !"Service".equals(manifest.get("kind"))) {
        throw new UserError(file + ": not a Service manifest (kind: " + (manifest == null ? null : manifest.get("kind"))
            + "); give a Service manifest or a .graphql file");
      }
      schemaText = manifest.get("spec") instanceof Map<?, ?> spec ? spec.get("schema") : null;
    } catch (UserError e) {
      throw e;
    } catch (RuntimeException e) {
      throw new UserError(file + ": not YAML: " + e.getMessage());
    }
    if (schemaText == null) {
      // codestore init's layout: the schema lives in schema.graphql beside the manifest
      Path beside = file.resolveSibling("schema.graphql");
      if (Files.isRegularFile(beside)) {
        return read(beside);
      }
    }
    if (!(schemaText instanceof String sdl)) {
      throw new UserError(file + ": no spec.schema, and no schema.graphql beside it (a Service manifest has kind: "
          + "Service and spec.schema)");
    }
    // a block scalar (schema: |): its lines follow the key, indented; elsewhere positions are the schema's own
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = SCHEMA_KEY.matcher(lines.get(i));
      if (m.matches()) {
        int indent = i + 1 < lines.size() ? lines.get(i + 1).length() - lines.get(i + 1).stripLeading().length() : 0;
        return new Located(sdl, file, i + 1, indent);
      }
    }
    return new Located(sdl, file, 0, 0);
  }
}
