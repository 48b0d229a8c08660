/**
 * The masks of secure aggregation: a 32-byte seed expanded by ChaCha20 (RFC 8439, OpenSSL's
 * through node:crypto) into one uniform 32-bit word per value. A real stream cipher, so a mask
 * reveals nothing of its seed and two seeds' masks are independent; Flower's SecAgg+ seeds a
 * 32-bit generator instead, which a brute force over 2^32 seeds undoes.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { endianness } from 'node:os';

const SEED_BYTES = 32;
/** Every seed is used for one stream only (fresh per round), so one fixed nonce is safe. */
const NONCE = new Uint8Array(16);

/** `length` uniform words from `seed` (32 bytes). */
export function maskStream(seed: Uint8Array, length: number): Uint32Array {
  if (seed.length !== SEED_BYTES)
    throw new Error(`a mask seed has ${SEED_BYTES} bytes, got ${seed.length}`);
  const bytes = createCipheriv('chacha20', seed, NONCE).update(new Uint8Array(length * 4));
  const words = new Uint32Array(length);
  if (endianness() === 'LE') new Uint8Array(words.buffer).set(bytes);
  else for (let i = 0; i < length; i++) words[i] = bytes.readUInt32LE(i * 4);
  return words;
}

/** The pairwise seed of two sites: SHA-256 of their X25519 shared secret, bound to the round. */
export function pairwiseSeed(sharedSecret: Uint8Array, round: string): Uint8Array {
  return new Uint8Array(
    createHash('sha256')
      .update('fedflow secagg pairwise mask\0')
      .update(round)
      .update('\0')
      .update(sharedSecret)
      .digest(),
  );
}

/** target += sign * mask, modulo 2^32. */
export function addMask(target: Uint32Array, mask: Uint32Array, sign: 1 | -1): void {
  if (sign === 1) for (let i = 0; i < target.length; i++) target[i] = (target[i]! + mask[i]!) >>> 0;
  else for (let i = 0; i < target.length; i++) target[i] = (target[i]! - mask[i]!) >>> 0;
}
