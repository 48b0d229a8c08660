/**
 * Client-level DP-FedAvg (McMahan et al. 2018) as the combining step: every site's delta is
 * clipped to the fixed norm C, the clipped deltas are summed, Gaussian noise of standard
 * deviation noiseMultiplier * C is added to each coordinate of the sum, and the sum is divided
 * by the number of sites. Adding or removing one site moves the sum by at most C, whatever the
 * others sent, which is what the accountant (coordinator/privacy) assumes. So the bound is
 * fixed, not derived from the round's norms, and every site weighs the same: a weight by
 * example count, or a screening decision that depends on the other sites' deltas, would let
 * one site move the result by more than C.
 */
import type { Gaussian } from '../gaussian-noise.js';
import { formatNumber, l2Norm } from '../vectors.js';
import type { Screening, Verdict } from './screening.js';

export interface GaussianMechanismSettings {
  /** C: every delta is scaled down to at most this L2 norm. */
  readonly clipNorm: number;
  /** sigma: the noise's standard deviation is sigma * C. */
  readonly noiseMultiplier: number;
}

export function gaussianMechanism(
  { clipNorm, noiseMultiplier }: GaussianMechanismSettings,
  gaussian: Gaussian,
): Screening {
  return (results) => {
    const n = results.length;
    const sum = new Float64Array(results[0]!.delta.length);
    const verdicts = results.map(({ delta }): Verdict => {
      const norm = l2Norm(delta);
      const scale = norm > clipNorm ? clipNorm / norm : 1;
      for (let i = 0; i < sum.length; i++) sum[i]! += scale * delta[i]!;
      return scale < 1
        ? {
            action: 'clipped',
            reason: `norm ${formatNumber(norm)} clipped to the privacy bound ${formatNumber(clipNorm)}`,
            weight: 1 / n,
          }
        : { action: 'kept', weight: 1 / n };
    });
    const deviation = noiseMultiplier * clipNorm;
    for (let i = 0; i < sum.length; i++) sum[i] = (sum[i]! + deviation * gaussian()) / n;
    return { combined: sum, verdicts };
  };
}
