/**
 * 8- and 4-bit model deltas: values in blocks of BLOCK_SIZE, each block scaled by its largest
 * magnitude and stochastically rounded to signed integers of `bits` bits. A delta's layers
 * move by very different amounts (a bias by 1e-2, a wide layer's weights by 1e-5), so one
 * scale per block, not per vector, keeps small layers from rounding to zero. 8 bits send
 * 1 + 4/256 bytes a value instead of 4 (0.254x); 4 bits half of that.
 */
import { stochasticRound, type Uniform } from './stochastic-rounding.js';

/** Values sharing one scale: 4 bytes of scale per 256 values (1.6% on top of the codes). */
export const BLOCK_SIZE = 256;

/** Bits per value a delta can be sent with; 32 is float32 as is. */
export type UpdateBits = 32 | 8 | 4;
export const UPDATE_BITS: readonly UpdateBits[] = [32, 8, 4];

/** A quantised vector as it travels (proto QuantizedVector). */
export interface QuantizedVector {
  readonly bits: 8 | 4;
  /** How many values it encodes. */
  readonly length: number;
  readonly blockSize: number;
  /** One per block: the decoded value of code 1 (the block's largest magnitude / qmax). */
  readonly scales: Float32Array;
  /** Signed codes: one byte each (8 bits, two's complement) or two per byte (4 bits, low nibble first, offset by 8). */
  readonly codes: Uint8Array;
}

/** The largest code magnitude: 127 for 8 bits, 7 for 4 (symmetric, so 0 is exact). */
function maxCode(bits: 8 | 4): number {
  return 2 ** (bits - 1) - 1;
}

/** Bytes the codes of `length` values take. */
export function codeBytes(length: number, bits: 8 | 4): number {
  return bits === 8 ? length : Math.ceil(length / 2);
}

/** `values` quantised, each block on its own scale, rounded without bias by `uniform`. */
export function quantizeBlocks(
  values: Float32Array,
  bits: 8 | 4,
  uniform: Uniform,
): QuantizedVector {
  const qmax = maxCode(bits);
  const blocks = Math.ceil(values.length / BLOCK_SIZE);
  const scales = new Float32Array(blocks);
  const signed = new Int8Array(values.length);
  for (let b = 0; b < blocks; b++) {
    const start = b * BLOCK_SIZE;
    const end = Math.min(values.length, start + BLOCK_SIZE);
    let largest = 0;
    for (let i = start; i < end; i++) largest = Math.max(largest, Math.abs(values[i]!));
    // Stored in float32 first, so that codes are computed against the scale the receiver sees.
    scales[b] = largest / qmax;
    const scale = scales[b]!;
    if (scale === 0) continue;
    for (let i = start; i < end; i++) {
      const code = stochasticRound(values[i]! / scale, uniform);
      signed[i] = Math.max(-qmax, Math.min(qmax, code));
    }
  }
  return { bits, length: values.length, blockSize: BLOCK_SIZE, scales, codes: pack(signed, bits) };
}

/** The values a quantised vector stands for. */
export function dequantizeBlocks(q: QuantizedVector): Float32Array {
  const signed = unpack(q.codes, q.bits, q.length);
  const values = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++)
    values[i] = signed[i]! * q.scales[Math.floor(i / q.blockSize)]!;
  return values;
}

/** Why `q` cannot be decoded (inconsistent sizes, a bad scale), or null. */
export function quantizedProblem(q: QuantizedVector): string | null {
  if (q.bits !== 8 && q.bits !== 4) return `bits must be 8 or 4, got ${q.bits}`;
  if (!(Number.isInteger(q.blockSize) && q.blockSize >= 1 && q.blockSize <= 65_536))
    return `block size must be an integer in [1, 65536], got ${q.blockSize}`;
  const blocks = Math.ceil(q.length / q.blockSize);
  if (q.scales.length !== blocks)
    return `${q.length} values in blocks of ${q.blockSize} need ${blocks} scales, got ${q.scales.length}`;
  const bytes = codeBytes(q.length, q.bits);
  if (q.codes.length !== bytes)
    return `${q.length} values of ${q.bits} bits need ${bytes} bytes of codes, got ${q.codes.length}`;
  for (let b = 0; b < blocks; b++) {
    const scale = q.scales[b]!;
    if (!(Number.isFinite(scale) && scale >= 0))
      return `scale of block ${b} must be finite and >= 0, got ${scale}`;
  }
  // The symmetric range leaves one code unused (-128, or nibble 0 = -8): a sender that uses
  // it did not quantise with this codec.
  for (let i = 0; i < q.length; i++) {
    const code = q.bits === 8 ? q.codes[i]! : (q.codes[i >> 1]! >> ((i & 1) * 4)) & 0x0f;
    if (code === (q.bits === 8 ? 0x80 : 0))
      return `code ${i} is ${-(2 ** (q.bits - 1))}, outside the symmetric ${q.bits}-bit range`;
  }
  return null;
}

function pack(signed: Int8Array, bits: 8 | 4): Uint8Array {
  if (bits === 8) return new Uint8Array(signed.buffer, signed.byteOffset, signed.length);
  const bytes = new Uint8Array(codeBytes(signed.length, 4));
  for (let i = 0; i < signed.length; i++) bytes[i >> 1]! |= (signed[i]! + 8) << ((i & 1) * 4);
  return bytes;
}

function unpack(bytes: Uint8Array, bits: 8 | 4, length: number): Int8Array {
  if (bits === 8) return new Int8Array(bytes.buffer, bytes.byteOffset, length);
  const signed = new Int8Array(length);
  for (let i = 0; i < length; i++) signed[i] = ((bytes[i >> 1]! >> ((i & 1) * 4)) & 0x0f) - 8;
  return signed;
}
