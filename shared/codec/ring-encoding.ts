/**
 * Fixed point in Z_2^32, the integers secure aggregation sums: a value becomes
 * round(value / step) (stochastic rounding, as the compressed deltas use), stored modulo 2^32.
 * Sums of such words wrap around like the masks do, and read back as signed 32-bit integers
 * times the step, so a sum is exact as long as its true value stays within +-2^31 steps.
 */
import { stochasticRound, type Uniform } from './stochastic-rounding.js';

/** Half the ring: a sum reads back exactly while its true value is within +-RING_HALF steps. */
export const RING_HALF = 2 ** 31;

/** Each of `values` times `weight`, clipped to +-`bound` first, in steps of `step`, mod 2^32. */
export function toRing(
  values: ArrayLike<number>,
  { weight, bound, step }: { weight: number; bound: number; step: number },
  uniform: Uniform,
  into = new Uint32Array(values.length),
): Uint32Array {
  for (let i = 0; i < values.length; i++) {
    const clipped = Math.max(-bound, Math.min(bound, values[i]!));
    into[i] = stochasticRound((clipped * weight) / step, uniform) >>> 0;
  }
  return into;
}

/** A sum of ring words read as signed integers times `step`. */
export function fromRing(words: Uint32Array, step: number): Float64Array {
  const values = new Float64Array(words.length);
  for (let i = 0; i < words.length; i++) values[i] = (words[i]! | 0) * step;
  return values;
}
