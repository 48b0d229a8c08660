/**
 * Scores flow files with a model, batch by batch in input order, and hands each batch's
 * results to a sink (alert lines, evaluation). Reading and encoding run in a worker thread
 * so they overlap with the model; only a few batches are in memory at once.
 */
import type { FlowFormat } from '../../shared/flows/formats.js';
import type { ReadOptions } from '../../shared/flows/readers.js';
import { trafficDerivedIn } from '../../shared/flows/traffic-features.js';
import { historySettingsFor } from '../../shared/model/gru/gru-layers.js';
import { MultiHotBuilder } from '../../shared/model/multi-hot.js';
import { SCORE_BATCH } from '../../shared/model/score-table.js';
import type { BatchScores, ScoreOptions } from '../../shared/model/vae.js';
import type { BackendName } from '../../shared/runtime/backend.js';
import { tf } from '../../shared/runtime/tf.js';
import type { ReadingOptions } from './encode-worker.js';
import { batchRows, type EncodedBatch } from './encoded-batch.js';
import { encodeInWorker } from './encoded-batches.js';
import { assertSchemaMatches, type LoadedModel } from './loaded-model.js';
import type { WorkerScoring } from './worker-scorer.js';

/**
 * The share of batches the encode worker scores, the main thread the rest. Profiled on
 * 225,440 NSL-KDD rows, the worker was 60% idle while the main thread ran the model (38% of
 * its time) and wrote alert lines. Measured whole `score` runs: every batch on the main thread
 * 73-76k flows/s; the worker scoring 1 in 4: 79k, 1 in 3: 85-87k, 1 in 2: 92-98k, all: 72-81k.
 * Once alert lines got cheaper, per-thread CPU time of a run (medians of 4): 1 in 2: main
 * 1.26 s, worker 1.40 s; 0.45: 1.29 s and 1.30 s; 0.4: 1.31 s and 1.29 s; 1 in 3: 1.43 s and
 * 1.27 s. The busier thread sets the pace on 2 cores.
 */
const WORKER_SCORE_SHARE = 0.45;

export interface ScoredBatch {
  readonly batch: EncodedBatch;
  readonly result: BatchScores;
  /** 0-based index of the batch's first row among the rows read (skipped ones included). */
  readonly firstIndex: number;
}

export interface ScoreRunSummary {
  readonly rowsScored: number;
  readonly badRows: number;
  readonly seconds: number;
}

function scoreBatch(
  model: LoadedModel['model'],
  builder: MultiHotBuilder,
  batch: EncodedBatch,
  options: ScoreOptions,
): BatchScores {
  return model.score(batchRows(builder, batch), options);
}

export async function scoreFlowFiles(
  loaded: LoadedModel,
  files: readonly string[],
  format: FlowFormat,
  read: ReadOptions,
  options: ScoreOptions & ReadingOptions & { readonly stop?: AbortSignal },
  sink: (scored: ScoredBatch) => void | Promise<void>,
): Promise<ScoreRunSummary> {
  const started = performance.now();
  // The model's schema says which traffic features it was trained with: derive them alike.
  const traffic = trafficDerivedIn(loaded.saved.spec.schema);
  const selection = { files, format, onlyLabel: null, read, ...traffic };
  const spec = loaded.saved.spec.encoder;
  const { stop, follow, skipRows, importanceSamples, seed } = options;
  const scoring: WorkerScoring = {
    spec: loaded.saved.spec,
    weights: loaded.saved.weights,
    backend: tf.getBackend() as BackendName,
    options: { importanceSamples, seed },
    share: WORKER_SCORE_SHARE,
  };
  const stream = await encodeInWorker(selection, spec, SCORE_BATCH, {
    stop,
    follow,
    skipRows,
    scoring,
    history: historySettingsFor(loaded.saved.spec.kind, loaded.saved.spec.architecture),
  });
  const { model, encoder } = loaded;
  const builder = new MultiHotBuilder(encoder);
  let scored = 0;
  let checked = false;
  for await (const batch of stream.batches) {
    if (!checked) {
      // Inside the loop so that leaving it early stops the worker.
      assertSchemaMatches(loaded.saved.spec.schema, stream.schema, files.join(', '));
      checked = true;
    }
    const result = batch.scored ?? scoreBatch(model, builder, batch, options);
    await sink({ batch, result, firstIndex: (skipRows ?? 0) + scored });
    scored += batch.count;
  }
  if (!checked) assertSchemaMatches(loaded.saved.spec.schema, stream.schema, files.join(', '));
  return {
    rowsScored: scored,
    badRows: stream.stats.badRows,
    seconds: (performance.now() - started) / 1000,
  };
}
