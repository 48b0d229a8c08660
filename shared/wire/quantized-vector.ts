/**
 * The wire form of an 8- or 4-bit delta (proto QuantizedVector). Decoding checks that the
 * sizes agree and every scale is usable, so a malformed vector is a WireError naming what is
 * wrong, never a delta of the wrong length or of NaNs.
 */
import { type QuantizedVector, quantizedProblem } from '../codec/block-quantizer.js';
import { WireError } from './errors.js';
import { float32VectorFromWire, float32VectorToWire } from './float-vector.js';
import type { QuantizedVector__Output } from './generated/fedflow/v1/QuantizedVector.js';

export function quantizedVectorToWire(q: QuantizedVector): Record<string, unknown> {
  return {
    bits: q.bits,
    length: q.length,
    blockSize: q.blockSize,
    scales: float32VectorToWire(q.scales),
    codes: q.codes,
  };
}

export function quantizedVectorFromWire(message: QuantizedVector__Output): QuantizedVector {
  const q = {
    bits: message.bits as 8 | 4,
    length: message.length,
    blockSize: message.blockSize,
    scales: float32VectorFromWire(message.scales, 'the scales of a quantized delta'),
    codes: new Uint8Array(message.codes),
  };
  const problem = quantizedProblem(q);
  if (problem) throw new WireError(`malformed quantized delta: ${problem}`);
  return q;
}
