/**
 * Seeded random numbers for the synthetic generator: one xoroshiro128+ stream per run, so the
 * same seed always yields the same flows (never `Math.random`).
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** Outputs discarded after seeding: neighbouring seeds start from nearly equal states. */
const WARM_UP_STEPS = 32;

/** A seeded source of the few distributions the generator needs. */
export class SeededRandom {
  private readonly rng: RandomGenerator;
  /** Box-Muller makes normals in pairs; the second waits here. */
  private spareNormal: number | null = null;

  /** `seed` is any safe integer; distinct seeds give distinct streams. */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new Error(`seed must be a safe integer, got ${seed}`);
    // pure-rand's own seeding, `xoroshiro128plus(seed)`, is this state for the low 32 bits;
    // carrying the high bits too keeps every safe integer its own seed.
    const bits = BigInt(seed);
    const low = Number(BigInt.asIntN(32, bits));
    const high = Number(BigInt.asIntN(32, bits >> 32n));
    this.rng = xoroshiro128plusFromState([~high, ~low, low, high]);
    for (let i = 0; i < WARM_UP_STEPS; i++) this.rng.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    return uniformFloat64(this.rng);
  }

  /** Raw uniform 32-bit unsigned integer. */
  uint32(): number {
    return this.rng.next() >>> 0;
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return uniformInt(this.rng, min, max);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Standard normal. */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    // 1 - u keeps the logarithm away from 0.
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    const angle = 2 * Math.PI * this.next();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** Log-normal with the given median and log-space standard deviation (heavy-tailed sizes). */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Exponential with the given mean (Poisson inter-arrival gaps). */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }
}

/** A fixed weighted choice, with cumulative weights computed once. */
export class WeightedChoice<T> {
  private readonly items: readonly T[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  /** `entries` pairs each item with a positive weight; weights need not sum to 1. */
  constructor(entries: readonly (readonly [T, number])[]) {
    if (entries.length === 0) throw new Error('a weighted choice needs at least one entry');
    this.items = entries.map(([item]) => item);
    this.cumulative = new Float64Array(entries.length);
    let sum = 0;
    entries.forEach(([, weight], index) => {
      if (!(weight > 0)) throw new Error(`weights must be positive, got ${weight}`);
      sum += weight;
      this.cumulative[index] = sum;
    });
    this.total = sum;
  }

  /** Draws one item with probability proportional to its weight. */
  pick(random: SeededRandom): T {
    const target = random.next() * this.total;
    const last = this.items.length - 1;
    for (let i = 0; i < last; i++) {
      if (target < this.cumulative[i]!) return this.items[i]!;
    }
    return this.items[last]!;
  }
}
