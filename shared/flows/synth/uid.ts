/**
 * Zeek-like connection uids (`C` + 17 base62 characters), unique by construction: the first six
 * characters encode a bijective scramble of the flow's index, the rest are random.
 */
import type { SeededRandom } from './random.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Six base62 digits hold any 32-bit value (62^6 > 2^32). */
const INDEX_DIGITS = 6;
/** The largest number of uids one sequence can hand out without repeating. */
export const MAX_UIDS = 0x100000000;

function appendBase62(text: string, value: number, digits: number): string {
  let out = text;
  let rest = value;
  for (let i = 0; i < digits; i++) {
    out += BASE62[rest % 62];
    rest = Math.floor(rest / 62);
  }
  return out;
}

/**
 * Invertible steps only (xor with a key, multiply by an odd constant, xor-shift), so distinct
 * indices stay distinct while consecutive ones look unrelated.
 */
function scramble(index: number, key: number): number {
  let x = (index ^ key) >>> 0;
  x = Math.imul(x, 0x9e3779b1) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x85ebca6b) >>> 0;
  return (x ^ (x >>> 13)) >>> 0;
}

/** Hands out uids in order; never the same one twice within `MAX_UIDS`. */
export class UidSequence {
  private index = 0;
  private readonly key: number;

  constructor(private readonly random: SeededRandom) {
    this.key = random.uint32();
  }

  /** The next uid. */
  next(): string {
    if (this.index >= MAX_UIDS) throw new Error(`cannot make more than ${MAX_UIDS} unique uids`);
    let uid = appendBase62('C', scramble(this.index++, this.key), INDEX_DIGITS);
    uid = appendBase62(uid, this.random.uint32(), 6);
    return appendBase62(uid, this.random.uint32(), 5);
  }
}
