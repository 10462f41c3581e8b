package store.code.runtime.graphql;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.NullValue;
import graphql.language.ObjectValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;

/** DateTime (RFC 3339, answered in UTC) and JSON (any JSON value, stored as jsonb). */
final class Scalars {

  private Scalars() {}

  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT);

  static final GraphQLScalarType DATE_TIME = GraphQLScalarType.newScalar().name("DateTime")
      .description("An RFC 3339 timestamp, e.g. 2026-11-24T10:00:00Z; answers are in UTC with microseconds.")
      .coercing(new Coercing<String, String>() {
        @Override
        public String serialize(Object v, GraphQLContext ctx, Locale locale) {
          try {
            return normalize(v.toString());
          } catch (DateTimeParseException e) {
            throw new CoercingSerializeException("not a timestamp: " + v);
          }
        }

        @Override
        public String parseValue(Object v, GraphQLContext ctx, Locale locale) {
          try {
            return normalize(v.toString());
          } catch (DateTimeParseException e) {
            throw new CoercingParseValueException("\"" + v + "\" is not an RFC 3339 timestamp (e.g. 2026-11-24T10:00:00Z)");
          }
        }

        @Override
        public String parseLiteral(Value<?> v, CoercedVariables vars, GraphQLContext ctx, Locale locale) {
          if (!(v instanceof StringValue s)) {
            throw new CoercingParseLiteralException("a DateTime is a string, e.g. \"2026-11-24T10:00:00Z\"");
          }
          try {
            return normalize(s.getValue());
          } catch (DateTimeParseException e) {
            throw new CoercingParseLiteralException("\"" + s.getValue() + "\" is not an RFC 3339 timestamp (e.g. 2026-11-24T10:00:00Z)");
          }
        }
      }).build();

  /** Postgres answers timestamptz as "2026-11-24T10:00:00.5+00:00" (json) in the session's zone; clients get UTC. */
  static String normalize(String s) {
    return OffsetDateTime.parse(s.replace(' ', 'T')).withOffsetSameInstant(ZoneOffset.UTC).format(UTC);
  }

  static final GraphQLScalarType JSON = GraphQLScalarType.newScalar().name("JSON")
      .description("Any JSON value.")
      .coercing(new Coercing<Object, Object>() {
        @Override
        public Object serialize(Object v, GraphQLContext ctx, Locale locale) {
          return v;
        }

        @Override
        public Object parseValue(Object v, GraphQLContext ctx, Locale locale) {
          return v;
        }

        @Override
        public Object parseLiteral(Value<?> v, CoercedVariables vars, GraphQLContext ctx, Locale locale) {
          return literal(v, vars);
        }
      }).build();

  private static Object literal(Value<?> v, CoercedVariables vars) {
    if (v instanceof StringValue s) {
      return s.getValue();
    } else if (v instanceof IntValue i) {
      return i.getValue();
    } else if (v instanceof FloatValue f) {
      return f.getValue();
    } else if (v instanceof BooleanValue b) {
      return b.isValue();
    } else if (v instanceof NullValue) {
      return null;
    } else if (v instanceof ArrayValue a) {
      return a.getValues().stream().map(x -> literal(x, vars)).toList();
    } else if (v instanceof ObjectValue o) {
      Map<String, Object> m = new LinkedHashMap<>();
      o.getObjectFields().forEach(f -> m.put(f.getName(), literal(f.getValue(), vars)));
      return m;
    } else if (v instanceof VariableReference r) {
      return vars.get(r.getName());
    }
    throw new CoercingParseLiteralException("not a JSON value: " + v);
  }

  static List<GraphQLScalarType> all() {
    return List.of(DATE_TIME, JSON);
  }
}
