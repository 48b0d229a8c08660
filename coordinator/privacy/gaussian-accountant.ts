/**
 * Privacy accounting for client-level DP-FedAvg with every site in every round: each published
 * round is a Gaussian mechanism on the sum of the sites' clipped updates (sensitivity C, noise
 * standard deviation sigma * C), so T rounds compose to a Gaussian mechanism of noise
 * multiplier sigma / sqrt(T). Two answers for (epsilon, delta):
 *
 * - exact: T rounds are mu-GDP with mu = sqrt(T) / sigma (Dong, Roth and Su 2019, Corollary
 *   3.3), and a mu-GDP mechanism is (epsilon, delta)-DP exactly when
 *   delta = Phi(-epsilon/mu + mu/2) - e^epsilon * Phi(-epsilon/mu - mu/2)  (Corollary 2.13,
 *   the analytic Gaussian mechanism of Balle and Wang 2018); solved for epsilon here. This is
 *   what the coordinator reports and spends.
 * - RDP (Mironov 2017): alpha / (2 sigma^2) per round, converted with Balle et al. 2020's
 *   bound; an upper bound, kept as the cross-check every DP library reports.
 *
 * Without subsampling neither is loose in a way that matters; with sampled sites (not built)
 * only the RDP form would carry over.
 *
 * Both depend on the rounds only through their load, the sum of 1 / sigma^2 over the published
 * rounds (mu^2 in GDP; RDP is alpha / 2 times it), so rounds under different noise
 * multipliers, such as the training rounds of several federation jobs over the same sites,
 * compose by adding their loads: an earlier job's rounds are an `earlierLoad`.
 */
import erfc from '@stdlib/math-base-special-erfc';

/** Standard normal CDF, accurate in the far tails (erfc, not 1 - erf). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** delta(epsilon) of a mu-GDP mechanism. */
export function gdpDelta(mu: number, epsilon: number): number {
  return normalCdf(-epsilon / mu + mu / 2) - Math.exp(epsilon) * normalCdf(-epsilon / mu - mu / 2);
}

/** The smallest epsilon at which a mu-GDP mechanism is (epsilon, delta)-DP. */
export function gdpEpsilon(mu: number, delta: number): number {
  if (!(mu > 0)) return 0;
  if (gdpDelta(mu, 0) <= delta) return 0;
  // delta(epsilon) falls as epsilon grows: bisect between 0 and a bound where it is below.
  let high = 1;
  while (gdpDelta(mu, high) > delta) high *= 2;
  let low = 0;
  for (let i = 0; i < 100; i++) {
    const mid = (low + high) / 2;
    if (gdpDelta(mu, mid) > delta) low = mid;
    else high = mid;
  }
  return high;
}

/** RDP orders tried in the conversion (as Opacus and TensorFlow Privacy use). */
const ORDERS = [
  1.25,
  1.5,
  1.75,
  2,
  2.25,
  2.5,
  3,
  3.5,
  4,
  4.5,
  ...Array.from({ length: 59 }, (_, i) => 5 + i),
  64,
  80,
  96,
  128,
  256,
  512,
  1024,
];

/** The load of `rounds` Gaussian mechanisms of noise multiplier `sigma`: rounds / sigma^2. */
export function privacyLoad(sigma: number, rounds: number): number {
  return rounds / (sigma * sigma);
}

/** epsilon from the RDP of `rounds` Gaussian mechanisms of noise multiplier `sigma`. */
export function rdpEpsilon(sigma: number, rounds: number, delta: number): number {
  return rdpEpsilonOfLoad(privacyLoad(sigma, rounds), delta);
}

/** epsilon from the RDP of Gaussian mechanisms whose load (sum of 1 / sigma^2) is `load`. */
export function rdpEpsilonOfLoad(load: number, delta: number): number {
  if (load === 0) return 0;
  let best = Number.POSITIVE_INFINITY;
  for (const alpha of ORDERS) {
    const rdp = (load * alpha) / 2;
    // Balle et al. 2020, Proposition 12 (as Opacus' get_privacy_spent).
    const epsilon =
      rdp + Math.log((alpha - 1) / alpha) - (Math.log(delta) + Math.log(alpha)) / (alpha - 1);
    best = Math.min(best, epsilon);
  }
  return Math.max(0, best);
}

/**
 * What `rounds` published rounds under noise multiplier `sigma` have spent, with those of
 * earlier jobs over the same sites (their load) when there were any.
 */
export interface PrivacySpent {
  /** This job's published training rounds. */
  readonly rounds: number;
  /** Exact (Gaussian DP), what the budget is checked against. */
  readonly epsilon: number;
  /** The RDP upper bound of the same rounds. */
  readonly rdpEpsilon: number;
  readonly delta: number;
}

export function privacySpent(
  sigma: number,
  rounds: number,
  delta: number,
  earlierLoad = 0,
): PrivacySpent {
  const load = privacyLoad(sigma, rounds) + earlierLoad;
  return {
    rounds,
    epsilon: load === 0 ? 0 : gdpEpsilon(Math.sqrt(load), delta),
    rdpEpsilon: rdpEpsilonOfLoad(load, delta),
    delta,
  };
}

/** The most rounds whose exact epsilon stays within `budget` (Infinity for no budget). */
export function roundsWithin(sigma: number, delta: number, budget: number, limit: number): number {
  if (!(budget > 0)) return limit;
  let rounds = 0;
  while (rounds < limit && privacySpent(sigma, rounds + 1, delta).epsilon <= budget) rounds++;
  return rounds;
}
