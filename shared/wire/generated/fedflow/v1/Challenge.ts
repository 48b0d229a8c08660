// Original file: fedflow/v1/federation.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A single-use enrolment challenge and the coordinator's public keys.
 */
export interface Challenge {
  /**
   * Random bytes (32) the client signs to enrol; single use.
   */
  'challenge'?: (Buffer | Uint8Array | string);
  /**
   * Coordinator's Ed25519 public key; verifies model releases and receipts.
   */
  'coordinatorSignKey'?: (Buffer | Uint8Array | string);
  /**
   * Coordinator's X25519 public key; clients seal payloads to it.
   */
  'coordinatorBoxKey'?: (Buffer | Uint8Array | string);
  /**
   * When the challenge stops being accepted, epoch milliseconds.
   */
  'expiresUnixMs'?: (number | string | Long);
}

/**
 * A single-use enrolment challenge and the coordinator's public keys.
 */
export interface Challenge__Output {
  /**
   * Random bytes (32) the client signs to enrol; single use.
   */
  'challenge': (Buffer);
  /**
   * Coordinator's Ed25519 public key; verifies model releases and receipts.
   */
  'coordinatorSignKey': (Buffer);
  /**
   * Coordinator's X25519 public key; clients seal payloads to it.
   */
  'coordinatorBoxKey': (Buffer);
  /**
   * When the challenge stops being accepted, epoch milliseconds.
   */
  'expiresUnixMs': (number);
}
