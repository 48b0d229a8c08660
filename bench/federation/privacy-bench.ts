/**
 * Differential privacy on NSL-KDD: the 5 by-service sites under DP-FedAvg for the default 8
 * rounds, with the noise multiplier that spends epsilon 1, 4 and 8 (delta 1e-5), next to the
 * same clipping with next to no noise. Then the honest caveat measured: the noise the mean
 * would carry in a consortium of N sites (sigma * C / N instead of sigma * C / 5), emulated on
 * the same 5 sites by scaling the noise multiplier by 5 / N.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nslKddSites, parseSplit } from '../../cli/simulate/site-data.js';
import { privacySpent } from '../../coordinator/privacy/gaussian-accountant.js';
import { detectionQuality } from './detection-quality.js';
import { type BenchSite, runInProcess } from './in-process.js';
import { spread } from './seed-summary.js';

const SITES = 5;
const ROUNDS = 8;
const DELTA = 1e-5;
const EPSILONS = [1, 4, 8];
const EMULATED_SITES = [100, 1_000, 10_000];
const format = 'nsl-kdd' as const;

/** The noise multiplier whose ROUNDS rounds spend exactly `epsilon` at DELTA. */
export function noiseFor(epsilon: number, rounds = ROUNDS, delta = DELTA): number {
  let low = 0.05;
  let high = 1_000;
  for (let i = 0; i < 80; i++) {
    const mid = Math.sqrt(low * high);
    if (privacySpent(mid, rounds, delta).epsilon > epsilon) low = mid;
    else high = mid;
  }
  return high;
}

export async function runPrivacy(
  nslDir: string,
  seeds: readonly number[],
  clipNorm: number,
  log: (line: string) => void,
) {
  const work = mkdtempSync(join(tmpdir(), 'fedflow-privacy-'));
  try {
    const data = await nslKddSites(work, nslDir, SITES, parseSplit('by-service'));
    const sites: BenchSite[] = data.siteFiles.map((files, i) => ({ name: `site-${i + 1}`, files }));
    const auroc = async (noiseMultiplier: number, seed: number) => {
      const settings = {
        'federation.rounds': ROUNDS,
        'strategy.screening.method': 'none',
        'privacy.noiseMultiplier': noiseMultiplier,
        'privacy.clipNorm': clipNorm,
        'privacy.delta': DELTA,
      };
      const run = await runInProcess({ sites, format, onlyLabel: 'normal', settings, seed });
      const value = (await detectionQuality(run.model, data.testFiles, format)).auroc;
      log(
        `noise multiplier ${noiseMultiplier.toPrecision(4)} seed ${seed}: AUROC ${value.toFixed(4)}`,
      );
      return value;
    };
    const row = async (label: string, noiseMultiplier: number, runSeeds: readonly number[]) => {
      const runs = [];
      for (const seed of runSeeds) runs.push(await auroc(noiseMultiplier, seed));
      const spent = privacySpent(noiseMultiplier, ROUNDS, DELTA);
      return {
        label,
        noiseMultiplier,
        epsilon: spent.epsilon,
        rdpEpsilon: spent.rdpEpsilon,
        auroc: spread(runs),
      };
    };
    // Clipping alone (noise far too small to protect anything): what DP's clipping costs.
    const clipOnly = await row('clipping only (noise multiplier 1e-6)', 1e-6, seeds);
    const atEpsilon = [];
    for (const epsilon of EPSILONS)
      atEpsilon.push(await row(`epsilon ${epsilon}`, noiseFor(epsilon), seeds));
    const sigma4 = noiseFor(4);
    const emulated = [];
    for (const n of EMULATED_SITES)
      emulated.push({
        sites: n,
        ...(await row(
          `epsilon 4, the noise of ${n} sites`,
          (sigma4 * SITES) / n,
          seeds.slice(0, 1),
        )),
        // The accountant's epsilon is that of sigma4 (the real consortium's), not of the scaled run.
        epsilon: privacySpent(sigma4, ROUNDS, DELTA).epsilon,
      });
    return {
      seeds,
      rounds: ROUNDS,
      delta: DELTA,
      clipNorm,
      clipOnly,
      atEpsilon,
      emulatedConsortium: emulated,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
