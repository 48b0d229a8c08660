// Original file: fedflow/v1/federation.proto


/**
 * One member of a roster.
 */
export interface SecAggMember {
  /**
   * Client id (key fingerprint).
   */
  'id'?: (string);
  /**
   * X25519 key shares are sealed to (32 bytes).
   */
  'cipherKey'?: (Buffer | Uint8Array | string);
  /**
   * X25519 key of the pairwise masks (32 bytes).
   */
  'maskKey'?: (Buffer | Uint8Array | string);
  /**
   * Ids of its neighbours (symmetric; never itself).
   */
  'neighbours'?: (string)[];
}

/**
 * One member of a roster.
 */
export interface SecAggMember__Output {
  /**
   * Client id (key fingerprint).
   */
  'id': (string);
  /**
   * X25519 key shares are sealed to (32 bytes).
   */
  'cipherKey': (Buffer);
  /**
   * X25519 key of the pairwise masks (32 bytes).
   */
  'maskKey': (Buffer);
  /**
   * Ids of its neighbours (symmetric; never itself).
   */
  'neighbours': (string)[];
}
