package store.code.runtime.graphql;

/**
 * A part of a response that is already JSON text, exactly as graphql-java would have written it (an answer Postgres
 * rendered, {@link SqlAnswers}): the response writer copies it as it is.
 */
public record RawJson(String json) {}
