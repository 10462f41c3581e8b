package store.code.codehost.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The protocol between the runtime and the maker-code host, both on the pod's loopback interface: HTTP/1.1 with JSON
 * bodies. The runtime posts a {@link Call} to the host's {@link #CALL}; while the handler runs, it posts
 * {@link DataCall}s back to the {@link Call#callbackUrl()} with the call's token in {@link #TOKEN_HEADER}; both answer
 * with a {@link Reply}. The token is valid only while its call runs, and only for the data and rights of the request
 * that made the call.
 */
public final class Wire {

  /** POST: a {@link Call}; answers a {@link Reply}. */
  public static final String CALL = "/call";
  /** GET: the host's {@link Inventory}. */
  public static final String INVENTORY = "/handlers";
  /** POST (on the runtime's callback address): a {@link DataCall}; answers a {@link Reply}. */
  public static final String DATA = "/data";
  public static final String TOKEN_HEADER = "X-Codestore-Call-Token";
  /** Bodies larger than this are refused by both sides (a row, a page of rows, a stored object in base64). */
  public static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

  /** Nulls are left out; unknown fields are ignored, so either side may add fields the other does not read yet. */
  public static final ObjectMapper JSON = new ObjectMapper()
      .setSerializationInclusion(JsonInclude.Include.NON_NULL)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private Wire() {}
}
