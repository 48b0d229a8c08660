/**
 * What each side signs besides envelopes, shared so coordinator and clients cannot drift:
 * the purpose tags of signed blobs and the exact bytes behind enrolment and receipts.
 */

/** A client signs `challenge || its box public key` to enrol. */
export const ENROL_PURPOSE = 'enrol';
/** The coordinator signs every serialised model release. */
export const MODEL_RELEASE_PURPOSE = 'model-release';
/** The coordinator signs `envelope digest || received time (uint64 BE ms)` for each accepted result. */
export const RECEIPT_PURPOSE = 'receipt';

export function enrolStatement(challenge: Uint8Array, clientBoxKey: Uint8Array): Uint8Array {
  const out = new Uint8Array(challenge.length + clientBoxKey.length);
  out.set(challenge, 0);
  out.set(clientBoxKey, challenge.length);
  return out;
}

export function receiptStatement(digest: Uint8Array, receivedMs: number): Uint8Array {
  const out = new Uint8Array(digest.length + 8);
  out.set(digest, 0);
  new DataView(out.buffer).setBigUint64(digest.length, BigInt(receivedMs));
  return out;
}
