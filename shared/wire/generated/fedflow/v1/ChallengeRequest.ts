// Original file: fedflow/v1/federation.proto


/**
 * Asks for an enrolment challenge.
 */
export interface ChallengeRequest {
  /**
   * Client's Ed25519 public key (32 bytes), as listed in the coordinator's allow-list.
   */
  'clientSignKey'?: (Buffer | Uint8Array | string);
}

/**
 * Asks for an enrolment challenge.
 */
export interface ChallengeRequest__Output {
  /**
   * Client's Ed25519 public key (32 bytes), as listed in the coordinator's allow-list.
   */
  'clientSignKey': (Buffer);
}
