package store.code.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.sun.net.httpserver.HttpServer;

import store.code.runtime.auth.ApiKeys;
import store.code.runtime.auth.Authenticator;
import store.code.runtime.auth.Identity;
import store.code.runtime.auth.Tokens;
import store.code.runtime.auth.Unauthenticated;
import store.code.sdk.Caller;

/**
 * Tokens from the project's identity provider, checked by jose4j at a fixed instant: every way a token can be wrong is
 * refused with the reason, including {@code alg: none} and HS256 signed with the provider's public key; a JWKS URL is
 * fetched again when a token names a key id it does not know (key rotation).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokensTest {

  static final Instant NOW = Instant.parse("2030-01-15T12:00:00Z");
  static final String ISSUER = "https://id.example.org";
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  RsaJsonWebKey rsa;
  JsonWebKey ec;
  Tokens tokens;

  @BeforeAll
  void keys() throws Exception {
    rsa = RsaJwkGenerator.generateJwk(2048);
    rsa.setKeyId("rsa-1");
    ec = EcJwkGenerator.generateJwk(EllipticCurves.P256);
    ec.setKeyId("ec-1");
    Path jwks = Files.createTempFile("jwks", ".json");
    Files.writeString(jwks, new JsonWebKeySet(rsa, ec).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
    tokens = new Tokens(new Tokens.Settings(ISSUER, List.of("webshop"), Optional.empty(), Optional.of(jwks), "groups"), CLOCK);
  }

  static JwtClaims claims(String subject) {
    JwtClaims c = new JwtClaims();
    c.setIssuer(ISSUER);
    c.setAudience("webshop");
    c.setSubject(subject);
    c.setExpirationTime(NumericDate.fromSeconds(NOW.getEpochSecond() + 600));
    c.setIssuedAt(NumericDate.fromSeconds(NOW.getEpochSecond() - 3600));
    c.setStringListClaim("groups", "editors", "staff");
    return c;
  }

  static String sign(JwtClaims claims, JsonWebKey key, String alg) throws Exception {
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setKeyIdHeaderValue(key.getKeyId());
    jws.setAlgorithmHeaderValue(alg);
    jws.setKey(key instanceof RsaJsonWebKey r ? r.getPrivateKey() : ((org.jose4j.jwk.PublicJsonWebKey) key).getPrivateKey());
    return jws.getCompactSerialization();
  }

  String rs256(JwtClaims c) throws Exception {
    return sign(c, rsa, AlgorithmIdentifiers.RSA_USING_SHA256);
  }

  void refused(String token, String reason) {
    assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(Unauthenticated.class).hasMessageContaining(reason);
  }

  @Test
  void aValidTokenNamesItsSubjectAndGroups() throws Exception {
    Identity ann = tokens.verify(rs256(claims("ann")));
    assertThat(ann.kind()).isEqualTo(Caller.Kind.JWT);
    assertThat(ann.id()).isEqualTo("ann");
    assertThat(ann.groups()).containsExactly("editors", "staff");
    assertThat(tokens.verify(sign(claims("bob"), ec, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)).id())
        .isEqualTo("bob");
  }

  @Test
  void expiryAndNotBeforeHoldWithSixtySecondsOfLeeway() throws Exception {
    JwtClaims justExpired = claims("ann");
    justExpired.setExpirationTime(NumericDate.fromSeconds(NOW.getEpochSecond() - 30));
    assertThat(tokens.verify(rs256(justExpired)).id()).as("within the leeway").isEqualTo("ann");
    JwtClaims expired = claims("ann");
    expired.setExpirationTime(NumericDate.fromSeconds(NOW.getEpochSecond() - 61));
    refused(rs256(expired), "it has expired");
    JwtClaims early = claims("ann");
    early.setNotBefore(NumericDate.fromSeconds(NOW.getEpochSecond() + 120));
    refused(rs256(early), "it is not valid yet");
    JwtClaims noExpiry = claims("ann");
    noExpiry.unsetClaim("exp");
    refused(rs256(noExpiry), "it has no expiry");
  }

  @Test
  void theWrongIssuerAudienceOrSubjectIsRefused() throws Exception {
    JwtClaims other = claims("ann");
    other.setIssuer("https://evil.example.org");
    refused(rs256(other), "its issuer is not " + ISSUER);
    JwtClaims audience = claims("ann");
    audience.setAudience("another-project");
    refused(rs256(audience), "its audience is not webshop");
    JwtClaims nobody = claims("ann");
    nobody.unsetClaim("sub");
    refused(rs256(nobody), "it has no subject");
  }

  @Test
  void unsignedTokensHmacWithThePublicKeyAndUnknownKeysAreRefused() throws Exception {
    JsonWebSignature none = new JsonWebSignature();
    none.setPayload(claims("ann").toJson());
    none.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
    none.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
    refused(none.getCompactSerialization(), "not valid");

    JsonWebSignature hmac = new JsonWebSignature(); // the classic confusion: the public key as an HMAC secret
    hmac.setPayload(claims("ann").toJson());
    hmac.setKeyIdHeaderValue("rsa-1");
    hmac.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
    hmac.setKey(new HmacKey(rsa.getPublicKey().getEncoded()));
    hmac.setDoKeyValidation(false);
    refused(hmac.getCompactSerialization(), "not valid");

    RsaJsonWebKey stranger = RsaJwkGenerator.generateJwk(2048);
    stranger.setKeyId("rsa-9");
    refused(sign(claims("ann"), stranger, AlgorithmIdentifiers.RSA_USING_SHA256), "unknown key id");
    RsaJsonWebKey impostor = RsaJwkGenerator.generateJwk(2048);
    impostor.setKeyId("rsa-1"); // a known key id, another key: the signature does not verify
    refused(sign(claims("ann"), impostor, AlgorithmIdentifiers.RSA_USING_SHA256), "not valid");
    refused("not.a.token", "not valid");
  }

  @Test
  void aJwksUrlIsFetchedAgainWhenATokenNamesAnUnknownKey() throws Exception {
    AtomicReference<String> served = new AtomicReference<>(new JsonWebKeySet(rsa).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
    HttpServer idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    idp.createContext("/jwks", exchange -> {
      byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    idp.start();
    try {
      Tokens fromUrl = new Tokens(new Tokens.Settings(ISSUER, List.of("webshop"),
          Optional.of("http://127.0.0.1:" + idp.getAddress().getPort() + "/jwks"), Optional.empty(), "groups"), CLOCK);
      assertThat(fromUrl.verify(rs256(claims("ann"))).id()).isEqualTo("ann");
      RsaJsonWebKey rotated = RsaJwkGenerator.generateJwk(2048);
      rotated.setKeyId("rsa-2");
      served.set(new JsonWebKeySet(rsa, rotated).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)); // the provider rotates
      Thread.sleep(Tokens.JWKS_REFETCH_AFTER_MS + 100); // an unknown key right after a fetch does not fetch again
      assertThat(fromUrl.verify(sign(claims("carl"), rotated, AlgorithmIdentifiers.RSA_USING_SHA256)).id()).isEqualTo("carl");
    } finally {
      idp.stop(0);
    }
  }

  @Test
  void theAuthorizationHeaderIsAKeyATokenOrNothing() throws Exception {
    Path keysFile = Files.createTempFile("keys", "");
    String key = ApiKeys.newKey(new java.security.SecureRandom());
    Files.writeString(keysFile, "# keys of project webshop, environment dev\nk1 " + ApiKeys.sha256(key) + "\nnot a line\n");
    Authenticator both = new Authenticator(Optional.of(new ApiKeys(keysFile, CLOCK)), Optional.of(tokens));
    assertThat(both.authenticate(null)).isEqualTo(Identity.ANONYMOUS);
    assertThat(both.authenticate("Bearer " + key)).isEqualTo(Identity.key("k1"));
    assertThat(both.authenticate("bearer " + rs256(claims("ann"))).id()).isEqualTo("ann");
    assertThatThrownBy(() -> both.authenticate("Bearer csk_other")).hasMessageContaining("the API key is not valid");
    assertThatThrownBy(() -> both.authenticate("Token " + key)).hasMessageContaining("must be `Bearer");
    Authenticator keysOnly = new Authenticator(Optional.of(new ApiKeys(keysFile, CLOCK)), Optional.empty());
    assertThatThrownBy(() -> keysOnly.authenticate("Bearer " + rs256(claims("ann"))))
        .hasMessageContaining("this instance accepts no tokens");
  }
}
