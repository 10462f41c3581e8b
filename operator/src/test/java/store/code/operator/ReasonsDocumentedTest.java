package store.code.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import store.code.api.Reasons;


/** docs/operator.md's "Conditions and what to do" and the reasons the operator writes are the same list. */
class ReasonsDocumentedTest {
  static final Path DOC = Path.of("..", "docs", "operator.md");

  static List<String> constants() throws IllegalAccessException {
    List<String> out = new ArrayList<>();
    for (Field f : Reasons.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        out.add((String) f.get(null));
      }
    }
    return out;
  }

  /** The reasons in the first column of the section's tables, e.g. "| `DatabaseUnreachable`, `StorageUnreachable` |". */
  static List<String> documented() throws IOException {
    String doc = Files.readString(DOC);
    int from = doc.indexOf("## Conditions and what to do");
    String section = doc.substring(from, doc.indexOf("\n## ", from + 1));
    List<String> out = new ArrayList<>();
    for (String line : section.lines().filter(l -> l.startsWith("| `")).toList()) {
      Matcher m = Pattern.compile("`([A-Za-z]+)`").matcher(line.substring(0, line.indexOf(" |", 2)));
      while (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  @Test
  void everyReasonIsExplainedAndEveryExplainedReasonIsOne() throws Exception {
    assertThat(constants()).hasSizeGreaterThan(25).doesNotHaveDuplicates();
    assertThat(documented()).as("reasons in the docs' tables").containsExactlyInAnyOrderElementsOf(constants());
  }
}
