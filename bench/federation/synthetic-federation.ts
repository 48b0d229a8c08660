/**
 * The demo's federation, measured: the three synthetic organisations (web, mail/DNS,
 * internal) each training on its own flows, against a central model on the same files. Scored
 * on the labelled test days with injected scans, floods, brute force and exfiltration.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticSites } from '../../cli/simulate/site-data.js';
import type { BackendReport } from '../../shared/runtime/backend.js';
import { type DetectionQuality, detectionQuality } from './detection-quality.js';
import { runInProcess } from './in-process.js';
import { centralWithEncoderOf, trainReference } from './reference-models.js';
import { spreadOf } from './seed-summary.js';

const format = 'zeek' as const;

/** The demo (npm run demo) runs the coordinator's default 8 rounds; it ran 3 until 2026-11-29. */
const VARIANTS = [
  {
    name: 'fedavg, 2 local epochs, 3 rounds (the old demo)',
    settings: {
      'federation.rounds': 3,
      'federation.localSteps': 0,
      'federation.epochs': 2,
      'strategy.name': 'fedavg',
    },
  },
  { name: 'default, 3 rounds (the demo until 2026-11-29)', settings: { 'federation.rounds': 3 } },
  { name: 'default, 5 rounds', settings: { 'federation.rounds': 5 } },
  { name: 'default (8 rounds, the demo)', settings: {} },
];

export async function runSyntheticFederation(
  backend: BackendReport,
  seeds: readonly number[],
  log: (line: string) => void,
) {
  const work = mkdtempSync(join(tmpdir(), 'fedflow-synbench-'));
  try {
    const data = await syntheticSites(work, 3, 10_000);
    const sites = data.siteFiles.map((files, i) => ({ name: `site-${i + 1}`, files }));
    const score = (model: Parameters<typeof detectionQuality>[0]) =>
      detectionQuality(model, data.testFiles, format);
    const variants = [];
    const centralRuns: CentralRun[] = [];
    for (const variant of VARIANTS) {
      const runs: { seed: number; quality: DetectionQuality }[] = [];
      for (const seed of seeds) {
        const run = await runInProcess({
          sites,
          format,
          onlyLabel: null,
          settings: variant.settings,
          seed,
        });
        runs.push({ seed, quality: await score(run.model) });
        log(`synthetic ${variant.name} seed ${seed}: ${describe(runs.at(-1)!.quality)}`);
        if (variant.name.startsWith('default, 3')) {
          const pooled = { files: data.siteFiles.flat(), format, onlyLabel: null };
          const same = await score(
            (await centralWithEncoderOf(run.model, pooled, seed, backend)).model,
          );
          const own = await score((await trainReference(pooled, seed, backend)).model);
          centralRuns.push({ seed, sameEncoder: same, ownEncoder: own });
          log(
            `synthetic central seed ${seed}: same encoder ${describe(same)}; own encoder ${describe(own)}`,
          );
        }
      }
      variants.push({ ...variant, runs });
    }
    return { variants: variants.map(summariseVariant), central: summariseCentral(centralRuns) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

interface CentralRun {
  seed: number;
  sameEncoder: DetectionQuality;
  ownEncoder: DetectionQuality;
}

function describe(q: DetectionQuality): string {
  const recall = Object.entries(q.recallAtTestFpr1).map(([k, v]) => `${k} ${v.toFixed(2)}`);
  return `AUROC ${q.auroc.toFixed(4)}; recall at 1% FPR: ${recall.join(', ')}`;
}

function summaryOf(runs: readonly DetectionQuality[]) {
  const categories = Object.keys(runs[0]!.recallAtTestFpr1);
  return {
    auroc: spreadOf(runs, (q) => q.auroc),
    recallAtTestFpr1: Object.fromEntries(
      categories.map((c) => [c, spreadOf(runs, (q) => q.recallAtTestFpr1[c] ?? 0)]),
    ),
  };
}

function summariseVariant(v: {
  name: string;
  settings: object;
  runs: { seed: number; quality: DetectionQuality }[];
}) {
  return {
    name: v.name,
    settings: v.settings,
    ...summaryOf(v.runs.map((r) => r.quality)),
    runs: v.runs,
  };
}

function summariseCentral(centralRuns: readonly CentralRun[]) {
  return {
    sameEncoder: summaryOf(centralRuns.map((r) => r.sameEncoder)),
    ownEncoder: summaryOf(centralRuns.map((r) => r.ownEncoder)),
  };
}
