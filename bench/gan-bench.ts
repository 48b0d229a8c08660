/**
 * The GAN baseline against the default VAE on NSL-KDD: each kind trained centrally on the
 * `normal` rows of KDDTrain+_20Percent.txt (thresholds on its own calibration split), then
 * scored on KDDTest+ and KDDTest-21. AUROC, AUPRC, TPR at the calibrated 1% and 0.1% FPR
 * thresholds with the FPR observed on the test file's normal rows, training and scoring
 * flows/s; medians over seeds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreLabelledFlows, summariseDetection } from '../client/detect/evaluate-model.js';
import type { BackendReport } from '../shared/runtime/backend.js';
import { trainOnNormals } from './nsl-kdd-quality.js';
import { detectionFigures, median } from './stats.js';

/**
 * The kinds compared. The GAN's step costs several times the VAE's (two passes through five
 * networks by autograd), so it gets a fixed epoch cap to keep three seeds affordable on this
 * machine; early stopping on validation (its reconstruction NLL) still applies to both.
 */
export const GAN_BENCH_EPOCHS = 20;
const KINDS = [
  { name: 'categorical-vae (default mixture/exact)', overrides: {} },
  {
    name: 'alad-gan',
    overrides: { 'model.kind': 'alad-gan', 'training.epochs': GAN_BENCH_EPOCHS },
  },
] as const;
const TEST_FILES = ['KDDTest+.txt', 'KDDTest-21.txt'] as const;

interface TestQuality {
  file: string;
  auroc: number;
  auprc: number;
  thresholds: { targetFpr: number; tpr: number; observedFpr: number }[];
  /** File to scores (read, encode, score), this test file. */
  scoringFlowsPerSecond: number;
}

export interface GanBenchRun {
  kind: string;
  seed: number;
  epochs: number;
  bestEpoch: number;
  trainFlowsPerSecondMedianEpoch: number;
  trainSeconds: number;
  tests: TestQuality[];
}

export async function runGanBench(
  dir: string,
  backend: BackendReport,
  seeds: number[],
  log: (line: string) => void,
  overrides: Record<string, unknown> = {},
) {
  const work = mkdtempSync(join(tmpdir(), 'fedflow-gan-bench-'));
  const runs: GanBenchRun[] = [];
  try {
    for (const kind of KINDS)
      for (const seed of seeds) {
        const run = await trainAndTest(dir, join(work, `${runs.length}`), backend, seed, {
          ...kind.overrides,
          ...overrides,
        });
        runs.push({ ...run, kind: kind.name });
        log(
          `gan bench ${kind.name} seed ${seed}: ${run.epochs} epochs, train ${Math.round(run.trainFlowsPerSecondMedianEpoch)} flows/s; ${run.tests
            .map(
              (t) =>
                `${t.file} AUROC ${t.auroc.toFixed(4)} AUPRC ${t.auprc.toFixed(4)} ${t.thresholds.map((q) => `TPR@${q.targetFpr}=${q.tpr.toFixed(3)} (FPR ${q.observedFpr.toFixed(4)})`).join(' ')}`,
            )
            .join('; ')}`,
        );
      }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { runs, summary: summarise(runs) };
}

async function trainAndTest(
  dir: string,
  out: string,
  backend: BackendReport,
  seed: number,
  overrides: Record<string, unknown>,
): Promise<Omit<GanBenchRun, 'kind'>> {
  const { result, trainSeconds, loaded } = await trainOnNormals(dir, out, backend, overrides, seed);
  const tests: TestQuality[] = [];
  try {
    for (const file of TEST_FILES) {
      const scored = await scoreLabelledFlows(loaded, [join(dir, file)], 'nsl-kdd', {}, {});
      const evaluation = summariseDetection(scored, loaded.saved.thresholds!.targets);
      tests.push({
        file,
        ...detectionFigures(evaluation),
        scoringFlowsPerSecond: scored.scores.length / scored.seconds,
      });
    }
  } finally {
    loaded.model.dispose();
  }
  const history = result.training.history;
  return {
    seed,
    epochs: history.length,
    bestEpoch: result.training.bestEpoch,
    trainFlowsPerSecondMedianEpoch: median(history.map((h) => h.flowsPerSecond)),
    trainSeconds,
    tests,
  };
}

/** Per kind and test file: medians over seeds. */
function summarise(runs: readonly GanBenchRun[]) {
  return KINDS.flatMap(({ name }) => {
    const mine = runs.filter((r) => r.kind === name);
    return TEST_FILES.map((file, f) => {
      const tests = mine.map((r) => r.tests[f]!);
      const at = (i: number, pick: (t: TestQuality['thresholds'][number]) => number) =>
        median(tests.map((t) => pick(t.thresholds[i]!)));
      return {
        kind: name,
        file,
        medianAuroc: median(tests.map((t) => t.auroc)),
        medianAuprc: median(tests.map((t) => t.auprc)),
        medianTprAt: Object.fromEntries(
          tests[0]!.thresholds.map((t, i) => [t.targetFpr, at(i, (q) => q.tpr)]),
        ),
        medianObservedFprAt: Object.fromEntries(
          tests[0]!.thresholds.map((t, i) => [t.targetFpr, at(i, (q) => q.observedFpr)]),
        ),
        medianTrainFlowsPerSecond: median(mine.map((r) => r.trainFlowsPerSecondMedianEpoch)),
        medianScoringFlowsPerSecond: median(tests.map((t) => t.scoringFlowsPerSecond)),
      };
    });
  });
}
