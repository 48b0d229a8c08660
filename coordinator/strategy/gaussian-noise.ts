/**
 * Normal deviates for the privacy noise. The coordinator's draws come from the operating
 * system's CSPRNG: noise an observer could predict (a seeded generator) protects nothing.
 * Benchmarks and tests pass a seeded source instead, to repeat a run.
 */
import { randomFillSync } from 'node:crypto';
import type { Uniform } from '../../shared/codec/stochastic-rounding.js';

/** Standard normal deviates. */
export type Gaussian = () => number;

/** Uniforms in (0, 1) of 53 random bits each, from the CSPRNG, drawn in blocks. */
function secureUniform(): Uniform {
  const words = new Uint32Array(2048);
  let next = words.length;
  return () => {
    if (next + 2 > words.length) {
      randomFillSync(words);
      next = 0;
    }
    const high = words[next++]! >>> 5; // 27 bits
    const low = words[next++]! >>> 6; // 26 bits
    // (k + 0.5) / 2^53: never 0, so the logarithm below stays finite.
    return (high * 67_108_864 + low + 0.5) / 9_007_199_254_740_992;
  };
}

/** Box-Muller on `uniform`: two deviates per pair of uniforms, the second kept for the next call. */
export function gaussianFrom(uniform: Uniform): Gaussian {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(uniform()));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

/** The coordinator's noise: Box-Muller on CSPRNG uniforms. */
export function secureGaussian(): Gaussian {
  return gaussianFrom(secureUniform());
}
