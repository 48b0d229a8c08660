/**
 * The one error type the federation protocol raises on purpose. It carries a code the gRPC
 * layer (status.ts) maps to a status; its message is written for the peer and may be shown to it.
 */

/** What went wrong, in the vocabulary of gRPC status codes (see status.ts for the mapping). */
export type FedflowErrorCode =
  | 'invalid-argument'
  | 'unauthenticated'
  | 'permission-denied'
  | 'failed-precondition'
  | 'not-found'
  | 'already-exists'
  | 'resource-exhausted'
  | 'deadline-exceeded'
  | 'unavailable'
  // Only produced on the receiving side, from statuses a handler never raises on purpose.
  | 'cancelled'
  | 'unimplemented'
  | 'internal';

/**
 * An expected failure whose message is safe to send to the peer.
 *
 * @example throw new FedflowError('not-found', `no model version 7; latest is 6`);
 */
export class FedflowError extends Error {
  override readonly name: string = 'FedflowError';

  constructor(
    readonly code: FedflowErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Bytes or a message that do not follow the wire contract (malformed protobuf, chunks out of
 * order, a digest mismatch, a payload over its size limit).
 *
 * @example throw new WireError(`expected chunk index 3 of 7, got 5`);
 */
export class WireError extends FedflowError {
  override readonly name: string = 'WireError';

  constructor(
    message: string,
    code: 'invalid-argument' | 'resource-exhausted' = 'invalid-argument',
    options?: ErrorOptions,
  ) {
    super(code, message, options);
  }
}
