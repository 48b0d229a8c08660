// Original file: fedflow/v1/payloads.proto


/**
 * Secure aggregation, step 1: two fresh X25519 public keys for this aggregation only.
 */
export interface SecAggKeys {
  /**
   * Key the neighbours seal their shares to (32 bytes).
   */
  'cipherKey'?: (Buffer | Uint8Array | string);
  /**
   * Key whose agreement with a neighbour's seeds their pairwise mask (32 bytes).
   */
  'maskKey'?: (Buffer | Uint8Array | string);
}

/**
 * Secure aggregation, step 1: two fresh X25519 public keys for this aggregation only.
 */
export interface SecAggKeys__Output {
  /**
   * Key the neighbours seal their shares to (32 bytes).
   */
  'cipherKey': (Buffer);
  /**
   * Key whose agreement with a neighbour's seeds their pairwise mask (32 bytes).
   */
  'maskKey': (Buffer);
}
