/**
 * Unbiased rounding to a grid, the one rounding rule of every fixed-point encoding of model
 * updates: the 8- and 4-bit compressed deltas (block-quantizer.ts) and secure aggregation's
 * integers. A value between two grid points goes up with probability equal to how far it is
 * past the lower one, so the expected decoded value is the value itself: averaging many sites'
 * rounded updates (or one site's over rounds, with error feedback) adds noise but no drift.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** Uniform numbers in [0, 1). */
export type Uniform = () => number;

/** A seeded uniform stream (xoroshiro128+): the same seed rounds the same way. */
export function seededUniform(seed: number): Uniform {
  const rng = xoroshiro128plus(seed | 0);
  // Neighbouring seeds start from nearly equal states; a few outputs mix them apart.
  for (let i = 0; i < 16; i++) rng.next();
  return () => uniformFloat64(rng);
}

/** `x` rounded to a neighbouring integer, up with probability x - floor(x). */
export function stochasticRound(x: number, uniform: Uniform): number {
  return Math.floor(x + uniform());
}
