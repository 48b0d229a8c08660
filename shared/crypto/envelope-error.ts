/** Why a sealed envelope from a client was refused, as a code the coordinator can act on. */

/**
 * - `malformed`: a field has the wrong length or an invalid value;
 * - `wrong-sender`: signed by another key than the client it claims to come from;
 * - `bad-signature`: the signature does not cover these bytes (altered in transit);
 * - `wrong-context`: genuinely signed, but for another kind, round or task (stale or misrouted);
 * - `undecryptable`: not sealed to this coordinator's key by this client's box key;
 * - `replayed`: its nonce was seen before, or this client already submitted for this task.
 */
export type EnvelopeRejection =
  | 'malformed'
  | 'wrong-sender'
  | 'bad-signature'
  | 'wrong-context'
  | 'undecryptable'
  | 'replayed';

/** A refused envelope; `reason` is stable, the message says what was expected and what came. */
export class EnvelopeError extends Error {
  constructor(
    readonly reason: EnvelopeRejection,
    detail: string,
  ) {
    super(`envelope refused (${reason}): ${detail}`);
    this.name = 'EnvelopeError';
  }
}
