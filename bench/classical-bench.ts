/**
 * The classical detectors (kNN, GMM, PCA, Isolation Forest; bench/peers/classical.py) on the
 * models part's data sets and on fedflow's own features: per seed, the same encoder and the
 * same training / calibration split the default model trains on (prepareLocalData with the
 * default config's shares and that seed), test sets encoded by that encoder. Thresholds are
 * placed on the calibration normals' scores and the metrics computed by fedflow's own code, so
 * the rows stand beside the models part's in one table (models-table.ts).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainingOptions } from '../client/pipeline/train-site-model.js';
import { encodeFlows, prepareLocalData } from '../client/pipeline/training-set.js';
import { loadModelConfig } from '../shared/config/model-config.js';
import type { FlowTable } from '../shared/encoding/flow-table.js';
import { trafficDerivedIn } from '../shared/flows/traffic-features.js';
import { attackCategory } from '../shared/stats/attack-categories.js';
import { auprc, auroc, ratesAtThreshold } from '../shared/stats/detection-metrics.js';
import { thresholdsAtFpr } from '../shared/stats/thresholds.js';
import { type DataSet, dataSets, type ModelsBenchSources } from './models-bench.js';
import {
  type ModelRow,
  type ModelRun,
  markdownTable,
  mergeTables,
  modelTable,
} from './models-table.js';
import {
  CLASSICAL_DETECTORS,
  type ClassicalAnswer,
  exportParts,
  probeClassical,
  readScores,
  runClassical,
} from './peers/classical-peer.js';

const PROTOCOL =
  "the models part's data sets, splits and features: per seed, the default model's encoder (fitted on all of a data set's training flows) and its seeded split (80% training, 10% validation, unused here, 10% calibration); each detector fitted on the training normals' one-hot codes (the columns of fedflow's multi-hot input), thresholds at 1% and 0.1% FPR placed on the calibration normals' scores by fedflow's thresholdsAtFpr, AUROC/AUPRC/TPR by fedflow's own metrics. kNN: distance to the 5th nearest training normal (at most 20,000, sampled); GMM: diagonal covariances, components by BIC over 4/8/16/32, reg_covar 1e-3, score = -log-likelihood; PCA: components explaining 95% of the variance, score = squared reconstruction error; Isolation Forest: 200 trees, score = -score_samples. Seed = split seed, subsample seed and random_state. train flows/s = training rows / fit seconds; score flows/s = codes to scores (one-hot included) over the calibration and test rows, not file to scores as for fedflow's rows; both noisy on a shared 2-core machine. Medians over seeds.";

/** Test rows as scores' positives: a row whose label's category is not 'normal' is an attack. */
export function attackMask(table: FlowTable, name: string): Uint8Array {
  return Uint8Array.from({ length: table.length }, (_, r) => {
    const label = table.label(r);
    if (label === null) throw new Error(`${name}: row ${r} has no label; evaluation needs labels`);
    return attackCategory(label) === 'normal' ? 0 : 1;
  });
}

/**
 * One detector's runs on each test set: thresholds placed on its calibration scores, then
 * AUROC, AUPRC and the rates at each threshold on the test set.
 */
export function detectorRuns(
  base: Pick<ModelRun, 'model' | 'dataset' | 'seed' | 'trainRows'>,
  calibration: ArrayLike<number>,
  targetFprs: readonly number[],
  tests: readonly { name: string; scores: ArrayLike<number>; attacks: Uint8Array }[],
  rates: { train: number; score: number },
): ModelRun[] {
  const placed = thresholdsAtFpr(calibration, targetFprs);
  return tests.map((test) => ({
    ...base,
    test: test.name,
    testRows: test.scores.length,
    testAttacks: test.attacks.reduce((n, a) => n + a, 0),
    epochs: 0,
    auroc: auroc(test.scores, test.attacks),
    auprc: auprc(test.scores, test.attacks),
    thresholds: placed.map((p) => {
      const at = ratesAtThreshold(test.scores, test.attacks, p.threshold);
      return { targetFpr: p.targetFpr, tpr: at.tpr, observedFpr: at.fpr };
    }),
    trainFlowsPerSecond: rates.train,
    scoringFlowsPerSecond: rates.score,
  }));
}

/** Every detector on one data set and seed. */
async function classicalRuns(
  set: DataSet,
  seed: number,
  dir: string,
): Promise<{ runs: ModelRun[]; answer: ClassicalAnswer }> {
  const config = loadModelConfig(undefined, { 'training.seed': seed }).getProperties();
  const t = trainingOptions(config);
  const shares = { validation: t.validationShare, calibration: t.calibrationShare, seed: t.seed };
  const data = await prepareLocalData(set.train, config.encoder, shares);
  // Derived like the model's scoring derives them (score-flows.ts): from the trained schema.
  const traffic = trafficDerivedIn(data.schema);
  const tests: { name: string; table: FlowTable }[] = [];
  for (const test of set.tests)
    tests.push({
      name: test.name,
      table: await encodeFlows(
        { files: test.files, format: set.train.format, onlyLabel: null, read: {}, ...traffic },
        data.encoder,
      ),
    });
  mkdirSync(dir, { recursive: true });
  exportParts(dir, data.encoder, {
    train: data.train,
    calibration: data.calibration,
    ...Object.fromEntries(tests.map((test, i) => [`test${i}`, test.table])),
  });
  const answer = runClassical(dir, seed);
  const runs = answer.detectors.flatMap((d) =>
    detectorRuns(
      { model: CLASSICAL_DETECTORS[d.detector], dataset: set.name, seed, trainRows: d.fitRows },
      readScores(dir, d.detector, 'calibration', data.calibration.length),
      config.thresholds.targetFprs,
      tests.map((test, i) => ({
        name: test.name,
        scores: readScores(dir, d.detector, `test${i}`, test.table.length),
        attacks: attackMask(test.table, test.name),
      })),
      { train: d.fitRows / d.fitSeconds, score: d.scoreRows / d.scoreSeconds },
    ),
  );
  return { runs, answer };
}

/**
 * The classical rows for every data set found, or null (with the reason logged) when python3
 * or scikit-learn is missing. `modelsRows`, the models part's saved table, when given, gets the
 * classical rows merged in: the docs' all-models table without re-running the models part.
 */
export async function runClassicalBench(
  sources: ModelsBenchSources,
  seeds: readonly number[],
  modelsRows: readonly ModelRow[] | null,
  log: (line: string) => void,
) {
  const versions = probeClassical();
  if ('missing' in versions) {
    log(`skipping classical: ${versions.missing} (pip install numpy scikit-learn)`);
    return null;
  }
  const work = mkdtempSync(join(tmpdir(), 'fedflow-classical-bench-'));
  const runs: ModelRun[] = [];
  const fits: (ClassicalAnswer & { dataset: string })[] = [];
  try {
    for (const set of await dataSets(sources, work))
      for (const seed of seeds) {
        const mine = await classicalRuns(set, seed, join(work, `${set.name}-${seed}`));
        runs.push(...mine.runs);
        fits.push({ dataset: set.name, ...mine.answer });
        for (const r of mine.runs)
          log(
            `classical ${r.model} seed ${seed} ${r.test}: AUROC ${r.auroc.toFixed(4)} AUPRC ${r.auprc.toFixed(4)} ${r.thresholds.map((x) => `TPR@${x.targetFpr}=${x.tpr.toFixed(3)} (FPR ${x.observedFpr.toFixed(4)})`).join(' ')}, fit ${Math.round(r.trainFlowsPerSecond)} flows/s, score ${Math.round(r.scoringFlowsPerSecond)} flows/s`,
          );
      }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const table = modelTable(runs);
  return {
    protocol: PROTOCOL,
    versions,
    table,
    markdown: markdownTable(table),
    withModels: modelsRows ? markdownTable(mergeTables(modelsRows, table)) : null,
    fits,
    runs,
  };
}
