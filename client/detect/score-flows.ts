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
import { encodeInWorker, type StartedEncodeWorker } from './encoded-batches.js';
import { assertSchemaMatches, type LoadedModel } from './loaded-model.js';
import type { WorkerScoring } from './worker-scorer.js';

/**
 * The share of batches the encode worker scores, the main thread the rest. Profiled on
 * 225,440 NSL-KDD rows, the worker was 60% idle while the main thread ran the model (38% of
 * its time) and wrote alert lines. Measured whole `score` runs: every batch on the main thread
 * 73-76k flows/s; the worker scoring 1 in 4: 79k, 1 in 3: 85-87k, 1 in 2: 92-98k, all: 72-81k.
 * Once alert lines got cheaper, per-thread CPU time of a run (medians of 4): 1 in 2: main
 * 1.26 s, worker 1.40 s; 0.45: 1.29 s and 1.30 s; 0.4: 1.31 s and 1.29 s; 1 in 3: 1.43 s and
 * 1.27 s. The busier thread sets the pace on 2 cores. Once the worker read in batches and
 * started sooner (its scorer then ready a few batches later), 0.45 left the main thread
 * 0.10 s busier (4 runs, medians of per-thread CPU on a loaded machine); 0.5: 0.04 s.
 */
const WORKER_SCORE_SHARE = 0.5;

export interface ScoredBatch {
  readonly batch: EncodedBatch;
  readonly result: BatchScores;
  /** 0-based index of the batch's first row among the rows read (skipped ones included). */
  readonly firstIndex: number;
}

/** Hears how many rows a run has scored, after each batch (for a progress bar). */
export interface ScoringProgress {
  readonly onScored?: (rowsScored: number) => void;
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

/**
 * Scores a batch of zero codes and drops the scores: the model's one-off costs (its tables
 * computed from the weights, the backend compiling each kernel on its first call: ~100 ms)
 * are then paid while the worker reads the first batch instead of after it. Scores depend
 * only on the weights and a row's codes, so this changes none.
 */
function warmUp(
  model: LoadedModel['model'],
  builder: MultiHotBuilder,
  fieldCount: number,
  options: ScoreOptions,
): void {
  const codes = new Uint16Array(SCORE_BATCH * fieldCount);
  model.score(builder.rows(codes, null, 0, SCORE_BATCH), options);
}

export async function scoreFlowFiles(
  loaded: LoadedModel,
  files: readonly string[],
  format: FlowFormat,
  read: ReadOptions,
  options: ScoreOptions &
    ReadingOptions &
    ScoringProgress & {
      readonly stop?: AbortSignal;
      /** The encode worker, started ahead of the model's loading (encoded-batches.ts). */
      readonly encodeWorker?: StartedEncodeWorker;
    },
  sink: (scored: ScoredBatch) => void | Promise<void>,
): Promise<ScoreRunSummary> {
  const started = performance.now();
  // The model's schema says which traffic features it was trained with: derive them alike.
  const traffic = trafficDerivedIn(loaded.saved.spec.schema);
  const selection = { files, format, onlyLabel: null, read, ...traffic };
  const spec = loaded.saved.spec.encoder;
  const { stop, follow, skipRows, importanceSamples, seed, encodeWorker } = options;
  const scoring: WorkerScoring = {
    spec: loaded.saved.spec,
    weights: loaded.saved.weights,
    backend: tf.getBackend() as BackendName,
    options: { importanceSamples, seed },
    share: WORKER_SCORE_SHARE,
  };
  // The job goes to the worker at once; the model warms up while the worker reads.
  const streaming = encodeInWorker(selection, spec, SCORE_BATCH, {
    stop,
    follow,
    skipRows,
    scoring,
    started: encodeWorker,
    history: historySettingsFor(loaded.saved.spec.kind, loaded.saved.spec.architecture),
  });
  const { model, encoder } = loaded;
  const builder = new MultiHotBuilder(encoder);
  warmUp(model, builder, encoder.fieldCount, options);
  const stream = await streaming;
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
    options.onScored?.(scored);
  }
  if (!checked) assertSchemaMatches(loaded.saved.spec.schema, stream.schema, files.join(', '));
  return {
    rowsScored: scored,
    badRows: stream.stats.badRows,
    seconds: (performance.now() - started) / 1000,
  };
}
