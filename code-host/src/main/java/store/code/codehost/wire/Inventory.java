package store.code.codehost.wire;

import java.util.List;

/** What the host loaded: handler names, the jars they came from, and what went wrong while loading. */
public record Inventory(List<String> handlers, List<String> jars, List<String> problems) {}
