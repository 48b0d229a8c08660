/**
 * One site's secrets as a neighbour holds them: its shares of the sender's self-mask seed and
 * of its mask secret key, sealed with nacl.box from the sender's cipher key to the recipient's,
 * so the coordinator that routes them reads none. The plaintext names the round, sender and
 * recipient, so a coordinator cannot replay a share into another round or to another site.
 */
import { createHash } from 'node:crypto';
import nacl from 'tweetnacl';

/** A share sealed from one member to a neighbour, as the coordinator routes it. */
export interface SealedShare {
  readonly from: string;
  readonly to: string;
  readonly nonce: Uint8Array;
  readonly box: Uint8Array;
}

/** What a sealed share holds: one Shamir share of each of the sender's two secrets. */
export interface SharePair {
  readonly selfMask: Uint8Array;
  readonly maskKey: Uint8Array;
}

const SHARE_BYTES = 33; // a 32-byte secret's share: the value bytes and the x coordinate
const BINDING_BYTES = 32;

function binding(round: string, from: string, to: string): Uint8Array {
  const hash = createHash('sha256').update(`fedflow secagg share\0${round}\0${from}\0${to}`);
  return new Uint8Array(hash.digest());
}

export function sealShare(
  pair: SharePair,
  context: { round: string; from: string; to: string },
  keys: { recipientCipherKey: Uint8Array; senderCipherSecret: Uint8Array },
): SealedShare {
  const plaintext = new Uint8Array(BINDING_BYTES + 2 * SHARE_BYTES);
  plaintext.set(binding(context.round, context.from, context.to), 0);
  plaintext.set(pair.selfMask, BINDING_BYTES);
  plaintext.set(pair.maskKey, BINDING_BYTES + SHARE_BYTES);
  const nonce = nacl.randomBytes(nacl.box.nonceLength);
  const box = nacl.box(plaintext, nonce, keys.recipientCipherKey, keys.senderCipherSecret);
  return { from: context.from, to: context.to, nonce, box };
}

/** The shares inside `sealed`; throws naming the sender when it does not open or is bound elsewhere. */
export function openShare(
  sealed: SealedShare,
  round: string,
  keys: { senderCipherKey: Uint8Array; recipientCipherSecret: Uint8Array },
): SharePair {
  const plaintext = nacl.box.open(
    sealed.box,
    sealed.nonce,
    keys.senderCipherKey,
    keys.recipientCipherSecret,
  );
  if (!plaintext || plaintext.length !== BINDING_BYTES + 2 * SHARE_BYTES)
    throw new Error(`the share from ${sealed.from} does not open with its cipher key`);
  const expected = binding(round, sealed.from, sealed.to);
  if (!nacl.verify(plaintext.subarray(0, BINDING_BYTES), expected))
    throw new Error(`the share from ${sealed.from} was sealed for another round or recipient`);
  return {
    selfMask: plaintext.slice(BINDING_BYTES, BINDING_BYTES + SHARE_BYTES),
    maskKey: plaintext.slice(BINDING_BYTES + SHARE_BYTES),
  };
}
