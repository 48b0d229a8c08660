// Original file: fedflow/v1/payloads.proto


/**
 * One site's Shamir shares for one neighbour, sealed (nacl.box) from the sender's cipher key
 * to the recipient's: the coordinator routes it and cannot read it.
 */
export interface SealedShare {
  /**
   * Client id (key fingerprint) of the sender.
   */
  'sender'?: (string);
  /**
   * Client id of the recipient.
   */
  'recipient'?: (string);
  /**
   * Box nonce (24 bytes).
   */
  'nonce'?: (Buffer | Uint8Array | string);
  /**
   * The sealed round binding and the two shares (32 + 2 x 33 bytes, plus 16 of authenticator).
   */
  'box'?: (Buffer | Uint8Array | string);
}

/**
 * One site's Shamir shares for one neighbour, sealed (nacl.box) from the sender's cipher key
 * to the recipient's: the coordinator routes it and cannot read it.
 */
export interface SealedShare__Output {
  /**
   * Client id (key fingerprint) of the sender.
   */
  'sender': (string);
  /**
   * Client id of the recipient.
   */
  'recipient': (string);
  /**
   * Box nonce (24 bytes).
   */
  'nonce': (Buffer);
  /**
   * The sealed round binding and the two shares (32 + 2 x 33 bytes, plus 16 of authenticator).
   */
  'box': (Buffer);
}
