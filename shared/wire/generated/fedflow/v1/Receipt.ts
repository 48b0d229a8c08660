// Original file: fedflow/v1/federation.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The coordinator's signed acknowledgement of a result; the client keeps it in its audit log.
 */
export interface Receipt {
  /**
   * Whether the result was stored and will count in the round.
   */
  'accepted'?: (boolean);
  /**
   * SHA-256 of the serialised SealedEnvelope as received.
   */
  'digest'?: (Buffer | Uint8Array | string);
  /**
   * When the coordinator stored the result, epoch milliseconds.
   */
  'receivedUnixMs'?: (number | string | Long);
  /**
   * Coordinator's Ed25519 signature over the receipt context and digest.
   */
  'coordinatorSignature'?: (Buffer | Uint8Array | string);
}

/**
 * The coordinator's signed acknowledgement of a result; the client keeps it in its audit log.
 */
export interface Receipt__Output {
  /**
   * Whether the result was stored and will count in the round.
   */
  'accepted': (boolean);
  /**
   * SHA-256 of the serialised SealedEnvelope as received.
   */
  'digest': (Buffer);
  /**
   * When the coordinator stored the result, epoch milliseconds.
   */
  'receivedUnixMs': (number);
  /**
   * Coordinator's Ed25519 signature over the receipt context and digest.
   */
  'coordinatorSignature': (Buffer);
}
