/**
 * Every model kind on every data set, one protocol, so a reader can choose a model: each kind
 * trained centrally on a data set's normal training flows through the product's own path
 * (thresholds on its own calibration split), then scored on that data set's labelled test sets.
 * NSL-KDD (KDDTest+, KDDTest-21), the IoT-23 captures (honeypots -> Hakai, Torii) and the
 * demo's synthetic sites; medians over seeds in models-table.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticSites } from '../cli/simulate/site-data.js';
import { scoreLabelledFlows, summariseDetection } from '../client/detect/evaluate-model.js';
import { openModel } from '../client/detect/loaded-model.js';
import { trainSiteModel } from '../client/pipeline/train-site-model.js';
import { loadModelConfig } from '../shared/config/model-config.js';
import type { FlowFormat } from '../shared/flows/formats.js';
import type { FlowSelection } from '../shared/flows/pipeline.js';
import type { BackendReport } from '../shared/runtime/backend.js';
import { GAN_BENCH_EPOCHS } from './gan-bench.js';
import { type ModelRun, markdownTable, modelTable } from './models-table.js';
import { detectionFigures, median } from './stats.js';

/** The sequence model's epoch cap (sequence-bench.ts caps it at 20 on the synthetic sites). */
export const GRU_BENCH_EPOCHS = 20;

/** The kinds compared; everything not named is the default configuration. */
export const MODELS = [
  { name: 'VAE, mixture latent (default, exact)', overrides: {} },
  { name: 'VAE, Gaussian latent', overrides: { 'model.latent': 'gaussian' } },
  {
    name: 'VAE, stick-breaking latent (K=32, alpha 1)',
    overrides: {
      'model.latent': 'stick-breaking',
      'model.components': 32,
      'model.concentration': 1,
    },
  },
  // Its step costs ~25x the VAE's: the GAN bench's epoch cap keeps three seeds affordable.
  {
    name: 'alad-gan',
    overrides: { 'model.kind': 'alad-gan', 'training.epochs': GAN_BENCH_EPOCHS },
  },
  // Trains 10-25x slower than the VAE: capped like the sequence bench caps it on the synthetic
  // sites. Where flows carry no addresses every history is empty: named so in its rows.
  {
    name: 'GRU (8 earlier flows of the source host)',
    withoutAddresses: 'GRU, no history (NSL-KDD has no addresses)',
    overrides: { 'model.kind': 'gru', 'training.epochs': GRU_BENCH_EPOCHS },
  },
] as const;

/** Flows per synthetic site's training day: 3 sites make about NSL-KDD's 13,449 normals. */
export const SYNTHETIC_TRAINING_FLOWS = 5_000;

const PROTOCOL = `each model trained centrally on a data set's normal training flows (default settings; thresholds at 1% and 0.1% FPR placed on its own calibration split, 10% of those flows), then scored on that data set's labelled test sets: NSL-KDD: the normal rows of KDDTrain+_20Percent.txt, scored on KDDTest+.txt and KDDTest-21.txt; IoT-23: the 3 benign honeypot captures (1,956 flows), scored on the Hakai capture and on the two Torii captures together (the Trojan capture, 6 attacks, left out); synthetic sites: the demo's 3 organisations, ${SYNTHETIC_TRAINING_FLOWS.toLocaleString('en-GB')} training flows each (the federation bench gives each 10,000; fewer here to keep the GAN affordable), scored on their 3 test days (10,000 flows each, 5% scans, floods, brute force, exfiltration). The GAN's and the GRU's epochs capped at ${GAN_BENCH_EPOCHS} and ${GRU_BENCH_EPOCHS} (early stopping applies to every kind); the GRU reads each flow's source host's 8 earlier flows, and NSL-KDD has no addresses, so there every history is empty (its rows say so). Quality figures are medians over seeds; flows/s are medians too but noisy on a shared 2-core machine; score flows/s is file to scores (read, encode, derive traffic features, score), so small test sets show start-up cost.`;

export interface DataSet {
  readonly name: string;
  /** Whether its flows name their source host (the GRU reads each host's earlier flows). */
  readonly addresses: boolean;
  readonly train: FlowSelection;
  readonly tests: readonly { name: string; files: string[] }[];
}

export interface ModelsBenchSources {
  readonly nslKdd: string | null;
  readonly iot23: string | null;
}

/** The data sets found; synthetic files are written into `work` (the classical part reuses them). */
export async function dataSets(sources: ModelsBenchSources, work: string): Promise<DataSet[]> {
  const sets: DataSet[] = [];
  const selection = (files: string[], format: FlowFormat, onlyLabel: string | null) => ({
    files,
    format,
    onlyLabel,
    read: {},
  });
  const { nslKdd, iot23 } = sources;
  // IoT-23 first: the smallest, so a broken run shows within minutes.
  if (iot23)
    sets.push({
      name: 'IoT-23',
      addresses: true,
      train: selection(
        ['4-1-philips-hue', '5-1-amazon-echo', '7-1-somfy-lock'].map((c) =>
          join(iot23, `honeypot-${c}.conn.log`),
        ),
        'zeek',
        null,
      ),
      tests: [
        { name: 'IoT-23 Hakai', files: [join(iot23, 'malware-8-1-hakai.conn.log')] },
        {
          name: 'IoT-23 Torii (2 captures)',
          files: ['20-1', '21-1'].map((c) => join(iot23, `malware-${c}-torii.conn.log`)),
        },
      ],
    });
  const synthetic = await syntheticSites(work, 3, SYNTHETIC_TRAINING_FLOWS);
  sets.push({
    name: 'synthetic sites',
    addresses: true,
    train: selection(synthetic.siteFiles.flat(), synthetic.format, null),
    tests: [{ name: 'synthetic sites (3 test days)', files: synthetic.testFiles }],
  });
  if (nslKdd)
    sets.push({
      name: 'NSL-KDD',
      addresses: false,
      train: selection([join(nslKdd, 'KDDTrain+_20Percent.txt')], 'nsl-kdd', 'normal'),
      tests: ['KDDTest+', 'KDDTest-21'].map((t) => ({
        name: `NSL-KDD ${t}`,
        files: [join(nslKdd, `${t}.txt`)],
      })),
    });
  return sets;
}

export async function runModels(
  sources: ModelsBenchSources,
  backend: BackendReport,
  seeds: readonly number[],
  log: (line: string) => void,
) {
  const work = mkdtempSync(join(tmpdir(), 'fedflow-models-bench-'));
  const runs: ModelRun[] = [];
  try {
    const sets = await dataSets(sources, work);
    for (const set of sets)
      for (const model of MODELS)
        for (const seed of seeds) {
          const mine = await trainAndScore(set, model, seed, join(work, `${runs.length}`), backend);
          runs.push(...mine);
          for (const r of mine)
            log(
              `models ${r.model} seed ${seed} ${r.test}: AUROC ${r.auroc.toFixed(4)} AUPRC ${r.auprc.toFixed(4)} ${r.thresholds.map((t) => `TPR@${t.targetFpr}=${t.tpr.toFixed(3)} (FPR ${t.observedFpr.toFixed(4)})`).join(' ')}, ${r.epochs} epochs, train ${Math.round(r.trainFlowsPerSecond)} flows/s, score ${Math.round(r.scoringFlowsPerSecond)} flows/s`,
            );
        }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const table = modelTable(runs);
  return { protocol: PROTOCOL, table, markdown: markdownTable(table), runs };
}

/** A kind's name in the table: the GRU's says so where its histories are all empty. */
export function modelName(model: (typeof MODELS)[number], set: Pick<DataSet, 'addresses'>) {
  return !set.addresses && 'withoutAddresses' in model ? model.withoutAddresses : model.name;
}

/** One model and seed trained on a data set's training flows, scored on each of its test sets. */
async function trainAndScore(
  set: DataSet,
  model: (typeof MODELS)[number],
  seed: number,
  out: string,
  backend: BackendReport,
): Promise<ModelRun[]> {
  const config = loadModelConfig(undefined, {
    ...model.overrides,
    'training.seed': seed,
  }).getProperties();
  const result = await trainSiteModel(set.train, config, out, backend);
  const loaded = openModel(out);
  const runs: ModelRun[] = [];
  try {
    for (const test of set.tests) {
      const scored = await scoreLabelledFlows(loaded, test.files, set.train.format, {}, {});
      const evaluation = summariseDetection(scored, loaded.saved.thresholds!.targets);
      runs.push({
        model: modelName(model, set),
        dataset: set.name,
        test: test.name,
        seed,
        trainRows: result.data.trainRows,
        testRows: evaluation.flows,
        testAttacks: evaluation.attacks,
        epochs: result.training.history.length,
        ...detectionFigures(evaluation),
        trainFlowsPerSecond: median(result.training.history.map((h) => h.flowsPerSecond)),
        scoringFlowsPerSecond: scored.scores.length / scored.seconds,
      });
    }
  } finally {
    loaded.model.dispose();
    rmSync(out, { recursive: true, force: true });
  }
  return runs;
}
