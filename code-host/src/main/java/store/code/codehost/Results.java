package store.code.codehost;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import store.code.sdk.Row;

/**
 * What a handler returned, as JSON can carry it: a {@link Row} is its values; lists, arrays and maps are walked;
 * other objects (records, beans) are left to Jackson, which writes their properties, as graphql-java would read them.
 */
final class Results {

  private Results() {}

  static Object plain(Object result) {
    if (result instanceof Row r) {
      return r.values();
    }
    if (result instanceof Iterable<?> items) {
      List<Object> out = new ArrayList<>();
      items.forEach(i -> out.add(plain(i)));
      return out;
    }
    if (result instanceof Object[] items) {
      return plain(java.util.Arrays.asList(items));
    }
    if (result instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, plain(v)));
      return out;
    }
    return result;
  }
}
