/**
 * Federation cost: round time against the slowest site's local training, and bytes up and down
 * per site per round against the raw float32 model, as processes on loopback, with float32
 * deltas and releases against 8-bit ones; and detection quality of the same settings from the
 * in-process round loop (NSL-KDD, 5 sites by service, seeds side by side).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nslKddSites, parseSplit } from '../../cli/simulate/site-data.js';
import { median } from '../stats.js';
import { detectionQuality } from './detection-quality.js';
import { type BenchSite, runInProcess } from './in-process.js';
import { processCost } from './process-cost.js';
import { spread } from './seed-summary.js';

const format = 'nsl-kdd' as const;
const onlyLabel = 'normal';
export const COST_VARIANTS = [
  { name: 'float32', settings: { 'federation.updateBits': 32, 'federation.releaseBits': 32 } },
  { name: '8-bit up', settings: { 'federation.updateBits': 8, 'federation.releaseBits': 32 } },
  {
    name: '8-bit up and down',
    settings: { 'federation.updateBits': 8, 'federation.releaseBits': 8 },
  },
] as const;

export async function runFederationCost(
  nslDir: string,
  seeds: readonly number[],
  options: { clients: number; rounds: number; quality: boolean },
  log: (line: string) => void,
) {
  const work = mkdtempSync(join(tmpdir(), 'fedflow-cost-'));
  try {
    const cost = [];
    for (const variant of COST_VARIANTS) {
      const dir = mkdtempSync(join(work, 'run-'));
      mkdirSync(join(dir, 'data'));
      const data = await nslKddSites(
        join(dir, 'data'),
        nslDir,
        options.clients,
        parseSplit('by-service'),
      );
      const measured = await processCost(dir, data, options.rounds, variant.settings);
      cost.push({ variant: variant.name, ...measured });
      log(
        `${variant.name}: round ${measured.roundToSlowestTraining.toFixed(3)}x the slowest site's training (${measured.roundToSlowestWork.toFixed(3)}x its whole task), up+down ${measured.bytesUpDownToFloat32Model.toFixed(3)}x the float32 model (mean ${measured.bytesUpDownToFloat32ModelMean.toFixed(3)}x)`,
      );
    }
    const quality = options.quality ? await qualityBySeed(work, nslDir, seeds, log) : null;
    return { clients: options.clients, rounds: options.rounds, cost, quality };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** AUROC of each variant, run side by side per seed, and its loss against float32 per seed. */
async function qualityBySeed(
  work: string,
  nslDir: string,
  seeds: readonly number[],
  log: (line: string) => void,
) {
  mkdirSync(join(work, 'quality'));
  const data = await nslKddSites(join(work, 'quality'), nslDir, 5, parseSplit('by-service'));
  const sites: BenchSite[] = data.siteFiles.map((files, i) => ({ name: `site-${i + 1}`, files }));
  const auroc = new Map<string, number[]>(COST_VARIANTS.map((v) => [v.name, []]));
  for (const seed of seeds)
    for (const variant of COST_VARIANTS) {
      const run = await runInProcess({
        sites,
        format,
        onlyLabel,
        settings: variant.settings,
        seed,
      });
      auroc
        .get(variant.name)!
        .push((await detectionQuality(run.model, data.testFiles, format)).auroc);
      log(`${variant.name} seed ${seed}: AUROC ${auroc.get(variant.name)!.at(-1)!.toFixed(4)}`);
    }
  const float32 = auroc.get('float32')!;
  return COST_VARIANTS.map((v) => {
    const mine = auroc.get(v.name)!;
    const loss = float32.map((a, i) => a - mine[i]!);
    return { variant: v.name, auroc: spread(mine), aurocLossBySeed: loss, aurocLoss: median(loss) };
  });
}
