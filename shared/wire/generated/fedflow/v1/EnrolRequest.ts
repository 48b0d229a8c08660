// Original file: fedflow/v1/federation.proto


/**
 * Proof that the client holds the signing key the challenge was issued to.
 */
export interface EnrolRequest {
  /**
   * Client's Ed25519 public key (32 bytes); the one the challenge was issued to.
   */
  'clientSignKey'?: (Buffer | Uint8Array | string);
  /**
   * Client's X25519 public key (32 bytes).
   */
  'clientBoxKey'?: (Buffer | Uint8Array | string);
  /**
   * The challenge bytes received from GetChallenge.
   */
  'challenge'?: (Buffer | Uint8Array | string);
  /**
   * Ed25519 signature of the challenge context by client_sign_key (64 bytes).
   */
  'signature'?: (Buffer | Uint8Array | string);
}

/**
 * Proof that the client holds the signing key the challenge was issued to.
 */
export interface EnrolRequest__Output {
  /**
   * Client's Ed25519 public key (32 bytes); the one the challenge was issued to.
   */
  'clientSignKey': (Buffer);
  /**
   * Client's X25519 public key (32 bytes).
   */
  'clientBoxKey': (Buffer);
  /**
   * The challenge bytes received from GetChallenge.
   */
  'challenge': (Buffer);
  /**
   * Ed25519 signature of the challenge context by client_sign_key (64 bytes).
   */
  'signature': (Buffer);
}
