/**
 * What a site masks in a secure-aggregation round, as 32-bit ring words: its delta weighted by
 * its examples (the coordinator cannot weight what it cannot see), then its examples, then its
 * examples x validation loss. The coordinator unmasks only the sum, so it learns the weighted
 * mean delta, the total examples and the weighted mean loss of the round, nothing per site.
 */
import { fromRing, RING_HALF, toRing } from '../codec/ring-encoding.js';
import { stochasticRound, type Uniform } from '../codec/stochastic-rounding.js';

/** The fixed point, published by the coordinator with the training step. */
export interface SecureEncoding {
  /** Each delta value is clipped to +-bound before it is weighted. */
  readonly bound: number;
  /** The value of one ring unit of a weighted delta value. */
  readonly step: number;
  /** The value of one ring unit of examples x validation loss. */
  readonly lossStep: number;
}

/** Validation losses above this (nats) are clipped in the masked sum. */
const MAX_LOSS = 1_000;

/**
 * The encoding for sites that together hold `rows` rows: a weighted sum of clipped values stays
 * within half the ring, so it reads back exactly as a signed integer.
 */
export function secureEncoding(rows: number, bound: number): SecureEncoding {
  return {
    bound,
    step: (rows * bound) / (RING_HALF / 2),
    lossStep: (rows * MAX_LOSS) / (RING_HALF / 2),
  };
}

export function encodeSecureInput(
  delta: Float32Array,
  examples: number,
  validationLoss: number,
  encoding: SecureEncoding,
  uniform: Uniform,
): Uint32Array {
  const words = new Uint32Array(delta.length + 2);
  toRing(delta, { weight: examples, bound: encoding.bound, step: encoding.step }, uniform, words);
  words[delta.length] = examples >>> 0;
  const loss = Number.isFinite(validationLoss)
    ? Math.min(MAX_LOSS, Math.max(0, validationLoss))
    : 0;
  words[delta.length + 1] = stochasticRound((examples * loss) / encoding.lossStep, uniform) >>> 0;
  return words;
}

/** The unmasked sum read back: the mean delta (weighted by examples), total examples, mean loss. */
export function decodeSecureSum(sum: Uint32Array, encoding: SecureEncoding) {
  const length = sum.length - 2;
  const examples = sum[length]!;
  const weighted = fromRing(sum.subarray(0, length), encoding.step);
  const mean = new Float32Array(length);
  for (let i = 0; i < length; i++) mean[i] = examples > 0 ? weighted[i]! / examples : 0;
  const lossSum = (sum[length + 1]! | 0) * encoding.lossStep;
  return { mean, examples, validationLoss: examples > 0 ? lossSum / examples : Number.NaN };
}
