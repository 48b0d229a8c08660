// Original file: fedflow/v1/payloads.proto


/**
 * A share of one member's secret, revealed to the coordinator in step 4.
 */
export interface RevealedShare {
  /**
   * Client id of the member whose secret this is a share of.
   */
  'member'?: (string);
  /**
   * The Shamir share (33 bytes).
   */
  'share'?: (Buffer | Uint8Array | string);
}

/**
 * A share of one member's secret, revealed to the coordinator in step 4.
 */
export interface RevealedShare__Output {
  /**
   * Client id of the member whose secret this is a share of.
   */
  'member': (string);
  /**
   * The Shamir share (33 bytes).
   */
  'share': (Buffer);
}
