/**
 * NSL-KDD protocol: train on the `normal` rows of KDDTrain+_20Percent.txt, score all of
 * KDDTest+.txt; AUROC, AUPRC and TPR / observed FPR at the model's own thresholds, for both
 * latent kinds and several seeds. Also yields training and scoring throughput on real rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Evaluation,
  scoreLabelledFlows,
  summariseDetection,
} from '../client/detect/evaluate-model.js';
import { type LoadedModel, openModel } from '../client/detect/loaded-model.js';
import { writeAlertLines } from '../client/detect/write-alerts.js';
import { type SiteTrainingResult, trainSiteModel } from '../client/pipeline/train-site-model.js';
import { loadModelConfig } from '../shared/config/model-config.js';
import type { BackendReport } from '../shared/runtime/backend.js';
import { median } from './stats.js';

/** The latent kinds and mixture objectives compared (same data, seeds and everything else). */
const VARIANTS = [
  { name: 'gaussian', overrides: { 'model.latent': 'gaussian' } },
  {
    name: 'mixture/gumbel-softmax',
    overrides: { 'model.latent': 'mixture', 'model.mixtureObjective': 'gumbel-softmax' },
  },
  {
    name: 'mixture/exact',
    overrides: { 'model.latent': 'mixture', 'model.mixtureObjective': 'exact' },
  },
] as const;

export interface QualityRun {
  latent: string;
  seed: number;
  epochs: number;
  auroc: number;
  auprc: number;
  thresholds: { targetFpr: number; threshold: number; tpr: number; observedFpr: number }[];
  recallByCategoryAt1pct: Record<string, number>;
  trainFlowsPerSecondMedianEpoch: number;
  trainSeconds: number;
}

/** Flows per second scoring `rows` rows into alert lines, per run and their median. */
export interface ScoringThroughput {
  latent: string;
  rows: number;
  runs: number[];
  median: number;
}

export async function runNslKddQuality(
  dir: string,
  backend: BackendReport,
  seeds: number[],
  log: (line: string) => void,
) {
  const work = mkdtempSync(join(tmpdir(), 'fedflow-bench-'));
  const runs: QualityRun[] = [];
  const scoring: ScoringThroughput[] = [];
  try {
    for (const { name: latent, overrides } of VARIANTS) {
      for (const seed of seeds) {
        const out = join(work, `${latent.replace('/', '-')}-${seed}`);
        const trained = await trainAndEvaluate(dir, out, backend, overrides, seed);
        if (seed === seeds[0])
          await measureScoring(trained.loaded, dir, work, latent, scoring, log);
        trained.loaded.model.dispose();
        const run = qualityRun(latent, seed, trained);
        runs.push(run);
        log(
          `nsl-kdd ${latent} seed ${seed}: AUROC ${run.auroc.toFixed(4)} AUPRC ${run.auprc.toFixed(4)} ${run.thresholds.map((t) => `TPR@${t.targetFpr}=${t.tpr.toFixed(3)} (FPR ${t.observedFpr.toFixed(4)})`).join(' ')} train ${Math.round(run.trainFlowsPerSecondMedianEpoch)} flows/s`,
        );
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return {
    runs,
    summary: summariseRuns(runs),
    scoringFlowsPerSecond: scoring,
  };
}

/** One variant and seed trained into `out` on the normal rows of KDDTrain+_20Percent.txt. */
export async function trainOnNormals(
  dir: string,
  out: string,
  backend: BackendReport,
  overrides: Readonly<Record<string, unknown>>,
  seed: number,
): Promise<{ result: SiteTrainingResult; trainSeconds: number; loaded: LoadedModel }> {
  const config = loadModelConfig(undefined, {
    ...overrides,
    'training.seed': seed,
  }).getProperties();
  const started = performance.now();
  const result = await trainSiteModel(
    {
      files: [join(dir, 'KDDTrain+_20Percent.txt')],
      format: 'nsl-kdd',
      onlyLabel: 'normal',
      read: {},
    },
    config,
    out,
    backend,
  );
  const trainSeconds = (performance.now() - started) / 1000;
  return { result, trainSeconds, loaded: openModel(out) };
}

/** One variant and seed trained into `out` on the normal rows, then scored on `testFile`. */
export async function trainAndEvaluate(
  dir: string,
  out: string,
  backend: BackendReport,
  overrides: Readonly<Record<string, unknown>>,
  seed: number,
  testFile = 'KDDTest+.txt',
): Promise<{
  result: SiteTrainingResult;
  trainSeconds: number;
  loaded: LoadedModel;
  evaluation: Evaluation;
}> {
  const trained = await trainOnNormals(dir, out, backend, overrides, seed);
  const { loaded } = trained;
  const scored = await scoreLabelledFlows(loaded, [join(dir, testFile)], 'nsl-kdd', {}, {});
  const evaluation = summariseDetection(scored, loaded.saved.thresholds!.targets);
  return { ...trained, evaluation };
}

/**
 * File -> alert lines, the `score` command's path: one test file (22,544 rows, where the
 * encode worker's start-up shows) and the same file ten times (225,440 rows), three runs each.
 */
async function measureScoring(
  loaded: LoadedModel,
  dir: string,
  work: string,
  latent: string,
  scoring: ScoringThroughput[],
  log: (line: string) => void,
): Promise<void> {
  for (const copies of [1, 10]) {
    const files = Array<string>(copies).fill(join(dir, 'KDDTest+.txt'));
    const rates: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await writeAlertLines(
        loaded,
        files,
        'nsl-kdd',
        {},
        { topFields: 3 },
        join(work, 'alerts.jsonl'),
      );
      rates.push(s.rowsScored / s.seconds);
    }
    scoring.push({ latent, rows: 22_544 * copies, runs: rates, median: median(rates) });
    log(`scoring ${latent}, ${22_544 * copies} rows: median ${Math.round(median(rates))} flows/s`);
  }
}

/** What the bench keeps of one trained and evaluated variant and seed. */
export function qualityRun(
  latent: string,
  seed: number,
  trained: { result: SiteTrainingResult; trainSeconds: number; evaluation: Evaluation },
): QualityRun {
  const { result, trainSeconds, evaluation } = trained;
  return {
    latent,
    seed,
    epochs: result.training.history.length,
    auroc: evaluation.auroc,
    auprc: evaluation.auprc,
    thresholds: evaluation.thresholds.map((t) => ({
      targetFpr: t.targetFpr,
      threshold: t.threshold,
      tpr: t.tpr,
      observedFpr: t.fpr,
    })),
    recallByCategoryAt1pct: evaluation.thresholds[0]?.recallByCategory ?? {},
    trainFlowsPerSecondMedianEpoch: median(result.training.history.map((h) => h.flowsPerSecond)),
    trainSeconds,
  };
}

/** Per variant: medians (and the worst AUROC) over its seeds. */
function summariseRuns(runs: readonly QualityRun[]) {
  return VARIANTS.map(({ name: latent }) => {
    const mine = runs.filter((r) => r.latent === latent);
    return {
      latent,
      medianAuroc: median(mine.map((r) => r.auroc)),
      minAuroc: Math.min(...mine.map((r) => r.auroc)),
      medianAuprc: median(mine.map((r) => r.auprc)),
      medianTprAt: Object.fromEntries(
        mine[0]!.thresholds.map((t, i) => [
          t.targetFpr,
          median(mine.map((r) => r.thresholds[i]!.tpr)),
        ]),
      ),
      medianObservedFprAt: Object.fromEntries(
        mine[0]!.thresholds.map((t, i) => [
          t.targetFpr,
          median(mine.map((r) => r.thresholds[i]!.observedFpr)),
        ]),
      ),
      medianTrainFlowsPerSecond: median(mine.map((r) => r.trainFlowsPerSecondMedianEpoch)),
    };
  });
}
