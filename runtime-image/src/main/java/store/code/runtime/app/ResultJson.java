package store.code.runtime.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import store.code.runtime.graphql.RawJson;

/**
 * A GraphQL response (its specification map) as JSON bytes, written by walking the maps, lists and scalars graphql-java
 * produces straight into Jackson's generator. Jackson's generic map serialization looks up a serializer for every
 * value, which profiling showed as a fifth of a nested query's time; anything other than the JSON types still goes
 * through {@code mapper}, so the bytes are the same. Parts Postgres wrote ({@link RawJson}) are copied as they are.
 */
public final class ResultJson {

  private ResultJson() {}

  /** The response would be longer than the cap: writing stopped there. */
  static final class TooLarge extends RuntimeException {
    TooLarge(long limit) {
      super("the response is longer than " + limit + " bytes", null, false, false);
    }
  }

  public static byte[] write(Map<String, Object> response, ObjectMapper mapper) {
    return write(response, mapper, Long.MAX_VALUE);
  }

  /** @throws TooLarge as soon as more than {@code maxBytes} have been written, so memory stays bounded too */
  static byte[] write(Map<String, Object> response, ObjectMapper mapper, long maxBytes) {
    Capped out = new Capped(maxBytes);
    try (JsonGenerator g = mapper.createGenerator(out)) {
      // shortest digits, as Postgres writes the doubles of answers it renders (Db.JSON says why)
      g.configure(StreamWriteFeature.USE_FAST_DOUBLE_WRITER.mappedFeature(), true);
      value(g, response);
    } catch (IOException e) {
      throw new UncheckedIOException("writing a response", e);
    }
    return out.toByteArray();
  }

  private static final class Capped extends ByteArrayOutputStream {
    private final long max;

    Capped(long max) {
      super(1024);
      this.max = max;
    }

    @Override
    public synchronized void write(int b) {
      check(1);
      super.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      check(len);
      super.write(b, off, len);
    }

    private void check(int more) {
      if (count + (long) more > max) {
        throw new TooLarge(max);
      }
    }
  }

  private static void value(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof RawJson raw) {
      g.writeRawValue(raw.json());
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        value(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof List<?> l) {
      g.writeStartArray();
      for (Object x : l) {
        value(g, x);
      }
      g.writeEndArray();
    } else if (v instanceof Integer i) {
      g.writeNumber(i);
    } else if (v instanceof Long n) {
      g.writeNumber(n);
    } else if (v instanceof Double d) {
      g.writeNumber(d);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof BigDecimal d) {
      g.writeNumber(d);
    } else if (v instanceof BigInteger n) {
      g.writeNumber(n);
    } else {
      g.writeObject(v); // through the mapper: whatever a scalar's serialize() returned
    }
  }
}
