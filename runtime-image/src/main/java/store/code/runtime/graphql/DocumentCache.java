package store.code.runtime.graphql;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;

/**
 * Parsed and validated documents by query text, so a client repeating a query (the usual case) skips parsing and
 * validation. Bounded by the total length of the cached texts. Refusals (syntax, validation, token limit) are cached
 * as well: the same text is refused the same way. Depth and complexity limits run at execution, on every request.
 */
final class DocumentCache implements PreparsedDocumentProvider {

  private final Cache<String, PreparsedDocumentEntry> documents;

  DocumentCache(long maxTotalQueryChars) {
    this.documents = Caffeine.newBuilder().maximumWeight(maxTotalQueryChars)
        .weigher((String query, PreparsedDocumentEntry entry) -> query.length()).build();
  }

  @Override
  public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
      Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
    return CompletableFuture.completedFuture(documents.get(input.getQuery(), q -> parseAndValidate.apply(input)));
  }
}
