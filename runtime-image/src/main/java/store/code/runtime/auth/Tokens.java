package store.code.runtime.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.JoseException;

/**
 * Tokens (JWT) from the project's identity provider, checked with jose4j: signed with RS256 or ES256 by a key of the
 * provider's JWKS (fetched from its URL and fetched again when a token names an unknown key id, or read from a file),
 * issued by the configured issuer for one of the configured audiences, with an expiry, and within its validity
 * (60 seconds of leeway for clock skew). {@code alg: none} and HMAC algorithms are refused, so a provider's public key
 * can never serve as an HMAC secret.
 */
public final class Tokens {

  public static final int LEEWAY_SECONDS = 60;
  /** How long after fetching the JWKS an unknown key id is not a reason to fetch it again (shields the provider). */
  public static final long JWKS_REFETCH_AFTER_MS = 1_000;

  /** The contract's {@code CODESTORE_JWT_*} settings. */
  public record Settings(String issuer, List<String> audiences, Optional<String> jwksUrl, Optional<Path> jwksFile,
      String groupsClaim) {}

  private final Settings settings;
  private final Clock clock;
  private final VerificationKeyResolver keys;

  public Tokens(Settings settings, Clock clock) throws IOException {
    this.settings = settings;
    this.clock = clock;
    if (settings.jwksUrl().isPresent()) {
      keys = new HttpsJwksVerificationKeyResolver(jwks(settings.jwksUrl().get()));
    } else if (settings.jwksFile().isPresent()) {
      try {
        keys = new JwksVerificationKeyResolver(new JsonWebKeySet(Files.readString(settings.jwksFile().get())).getJsonWebKeys());
      } catch (JoseException e) {
        throw new IOException("the JWKS file " + settings.jwksFile().get() + " is not a JSON Web Key Set: " + e.getMessage(), e);
      }
    } else {
      throw new IllegalArgumentException("tokens need CODESTORE_JWT_JWKS_URL or CODESTORE_JWT_JWKS_FILE");
    }
  }

  /** The caller a valid token names; {@link Unauthenticated} with the reason when it is not valid. */
  public Identity verify(String token) {
    JwtConsumer consumer = new JwtConsumerBuilder()
        .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
        .setAllowedClockSkewInSeconds(LEEWAY_SECONDS)
        .setRequireExpirationTime()
        .setRequireSubject()
        .setExpectedIssuer(settings.issuer())
        .setExpectedAudience(settings.audiences().toArray(String[]::new))
        .setVerificationKeyResolver(keys)
        .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
            AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
        .build();
    JwtClaims claims;
    try {
      claims = consumer.processToClaims(token);
    } catch (InvalidJwtException e) {
      throw new Unauthenticated("the token is not valid: " + reason(e));
    }
    try {
      return Identity.token(claims.getSubject(), groups(claims.getClaimValue(settings.groupsClaim())), claims.getClaimsMap());
    } catch (org.jose4j.jwt.MalformedClaimException e) {
      throw new Unauthenticated("the token is not valid: its subject is not a string");
    }
  }

  private static List<String> groups(Object claim) {
    List<String> out = new ArrayList<>();
    if (claim instanceof String s) {
      out.add(s);
    } else if (claim instanceof List<?> list) {
      list.forEach(g -> {
        if (g instanceof String s) {
          out.add(s);
        }
      });
    }
    return out;
  }

  /** The first problem, in words; the token itself is never repeated. */
  private String reason(InvalidJwtException e) {
    if (e.hasExpired()) {
      return "it has expired";
    }
    if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
      return "it is not valid yet (nbf)";
    }
    if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
      return "its issuer is not " + settings.issuer();
    }
    if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
      return "its audience is not " + String.join(" or ", settings.audiences());
    }
    if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
      return "it has no expiry (exp)";
    }
    if (e.hasErrorCode(ErrorCodes.SUBJECT_MISSING)) {
      return "it has no subject (sub)";
    }
    if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
      return "its signature does not verify";
    }
    String details = e.getErrorDetails().isEmpty() ? e.getMessage() : e.getErrorDetails().get(0).getErrorMessage();
    if (details != null && details.contains("AlgorithmConstraints")) {
      return "it is not signed with RS256 or ES256";
    }
    if (details != null && (details.contains("kid") || details.contains("Unable to find a suitable verification key"))) {
      return "no key of the identity provider's JWKS verifies it (unknown key id)";
    }
    if (details != null && e.getErrorDetails().stream().anyMatch(d -> d.getErrorCode() == ErrorCodes.MISCELLANEOUS)) {
      return "it cannot be read as a signed JWT";
    }
    return details == null ? "it cannot be read as a signed JWT" : details; // jose4j's words: claim values, never the token
  }

  private static HttpsJwks jwks(String url) {
    HttpsJwks jwks = new HttpsJwks(url);
    jwks.setRefreshReprieveThreshold(JWKS_REFETCH_AFTER_MS);
    return jwks;
  }
}
