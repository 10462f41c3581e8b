package store.code.operator.support;

/** The administrator's provider settings are incomplete or wrong; the message says what to fix. */
public class ProviderConfigException extends RuntimeException {
  public ProviderConfigException(String message) {
    super(message);
  }
}
