/**
 * The stick-breaking latent against the fixed 32-component mixture on NSL-KDD (the quality
 * bench's protocol: train on the normal rows of KDDTrain+_20Percent.txt, thresholds from each
 * model's own calibration split), scored on KDDTest+ and KDDTest-21: AUROC, AUPRC, TPR and
 * observed FPR at the thresholds, components in use, training and scoring flows/s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreLabelledFlows, summariseDetection } from '../client/detect/evaluate-model.js';
import type { BackendReport } from '../shared/runtime/backend.js';
import { qualityRun, trainAndEvaluate } from './nsl-kdd-quality.js';
import { median } from './stats.js';

export const STICK_BREAKING_VARIANTS = [
  { name: 'mixture K=32', overrides: { 'model.latent': 'mixture', 'model.components': 32 } },
  {
    name: 'stick-breaking K=32',
    overrides: { 'model.latent': 'stick-breaking', 'model.components': 32 },
  },
  {
    name: 'stick-breaking K=128',
    overrides: { 'model.latent': 'stick-breaking', 'model.components': 128 },
  },
] as const;

const TEST_FILES = ['KDDTest+.txt', 'KDDTest-21.txt'] as const;

type Run = ReturnType<typeof qualityRun> & {
  testFile: string;
  componentsAboveFloor: number | null;
  componentsHoldingMass: number | null;
  scoringFlowsPerSecond: number;
};

export async function runStickBreaking(
  dir: string,
  backend: BackendReport,
  seeds: number[],
  log: (line: string) => void,
  concentration?: number,
) {
  const work = mkdtempSync(join(tmpdir(), 'fedflow-bench-'));
  const runs: Run[] = [];
  try {
    for (const { name, overrides } of STICK_BREAKING_VARIANTS) {
      for (const seed of seeds) {
        const out = join(work, `${name.replace(/[ =]/g, '-')}-${seed}`);
        const settings = concentration
          ? { ...overrides, 'model.concentration': concentration }
          : overrides;
        const trained = await trainAndEvaluate(dir, out, backend, settings, seed);
        const used = trained.result.componentsInUse;
        for (const testFile of TEST_FILES) {
          const scored = await scoreLabelledFlows(
            trained.loaded,
            [join(dir, testFile)],
            'nsl-kdd',
            {},
            {},
          );
          const evaluation = summariseDetection(scored, trained.loaded.saved.thresholds!.targets);
          const run: Run = {
            ...qualityRun(name, seed, { ...trained, evaluation }),
            testFile,
            componentsAboveFloor: used?.aboveFloor ?? null,
            componentsHoldingMass: used?.holdingMass ?? null,
            scoringFlowsPerSecond: scored.scores.length / scored.seconds,
          };
          runs.push(run);
          log(
            `stick-breaking bench ${name} seed ${seed} ${testFile}: AUROC ${run.auroc.toFixed(4)} AUPRC ${run.auprc.toFixed(4)} ${run.thresholds.map((t) => `TPR@${t.targetFpr}=${t.tpr.toFixed(3)} (FPR ${t.observedFpr.toFixed(4)})`).join(' ')} components ${used?.aboveFloor}/${used?.holdingMass} of ${used?.components}, ${run.epochs} epochs, train ${Math.round(run.trainFlowsPerSecondMedianEpoch)} flows/s, score ${Math.round(run.scoringFlowsPerSecond)} flows/s`,
          );
        }
        trained.loaded.model.dispose();
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { runs, summary: summarise(runs) };
}

/** Per variant and test file: medians over the seeds. */
function summarise(runs: readonly Run[]) {
  return STICK_BREAKING_VARIANTS.flatMap(({ name }) =>
    TEST_FILES.map((testFile) => {
      const mine = runs.filter((r) => r.latent === name && r.testFile === testFile);
      const at = (pick: (t: Run['thresholds'][number]) => number) =>
        Object.fromEntries(
          mine[0]!.thresholds.map((t, i) => [
            t.targetFpr,
            median(mine.map((r) => pick(r.thresholds[i]!))),
          ]),
        );
      return {
        variant: name,
        testFile,
        medianAuroc: median(mine.map((r) => r.auroc)),
        medianAuprc: median(mine.map((r) => r.auprc)),
        medianTprAt: at((t) => t.tpr),
        medianObservedFprAt: at((t) => t.observedFpr),
        medianComponentsAboveFloor: median(mine.map((r) => r.componentsAboveFloor ?? Number.NaN)),
        medianComponentsHoldingMass: median(mine.map((r) => r.componentsHoldingMass ?? Number.NaN)),
        medianEpochs: median(mine.map((r) => r.epochs)),
        medianTrainFlowsPerSecond: median(mine.map((r) => r.trainFlowsPerSecondMedianEpoch)),
        medianScoringFlowsPerSecond: median(mine.map((r) => r.scoringFlowsPerSecond)),
      };
    }),
  );
}
