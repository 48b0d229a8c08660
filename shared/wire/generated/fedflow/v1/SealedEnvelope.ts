// Original file: fedflow/v1/payloads.proto

import type { PayloadKind as _fedflow_v1_PayloadKind, PayloadKind__Output as _fedflow_v1_PayloadKind__Output } from '../../fedflow/v1/PayloadKind.js';

/**
 * A ClientPayload sealed to the coordinator's box key and signed with the client's key. Its
 * serialised bytes are what SubmitResult streams; kind, round and task_id travel in the clear
 * and are covered by the signature, so an envelope cannot be replayed into another task.
 */
export interface SealedEnvelope {
  /**
   * Client's Ed25519 public key (32 bytes); must match the enrolled session.
   */
  'senderSignKey'?: (Buffer | Uint8Array | string);
  /**
   * Box nonce (24 bytes).
   */
  'nonce'?: (Buffer | Uint8Array | string);
  /**
   * tweetnacl box of the serialised ClientPayload.
   */
  'ciphertext'?: (Buffer | Uint8Array | string);
  /**
   * Ed25519 signature over the context and ciphertext (64 bytes).
   */
  'signature'?: (Buffer | Uint8Array | string);
  /**
   * Kind of the sealed payload; must match the body of the ClientPayload inside.
   */
  'kind'?: (_fedflow_v1_PayloadKind);
  /**
   * Round the payload belongs to.
   */
  'round'?: (number);
  /**
   * Task the payload answers.
   */
  'taskId'?: (string);
}

/**
 * A ClientPayload sealed to the coordinator's box key and signed with the client's key. Its
 * serialised bytes are what SubmitResult streams; kind, round and task_id travel in the clear
 * and are covered by the signature, so an envelope cannot be replayed into another task.
 */
export interface SealedEnvelope__Output {
  /**
   * Client's Ed25519 public key (32 bytes); must match the enrolled session.
   */
  'senderSignKey': (Buffer);
  /**
   * Box nonce (24 bytes).
   */
  'nonce': (Buffer);
  /**
   * tweetnacl box of the serialised ClientPayload.
   */
  'ciphertext': (Buffer);
  /**
   * Ed25519 signature over the context and ciphertext (64 bytes).
   */
  'signature': (Buffer);
  /**
   * Kind of the sealed payload; must match the body of the ClientPayload inside.
   */
  'kind': (_fedflow_v1_PayloadKind__Output);
  /**
   * Round the payload belongs to.
   */
  'round': (number);
  /**
   * Task the payload answers.
   */
  'taskId': (string);
}
