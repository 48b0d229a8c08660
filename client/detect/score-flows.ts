/**
 * Scores flow files with a model, batch by batch in input order, and hands each batch's
 * results to a sink (alert lines, evaluation). Reading and encoding run in a worker thread
 * so they overlap with the model; only a few batches are in memory at once.
 */
import type { FlowFormat } from '../../shared/flows/formats.js';
import type { ReadOptions } from '../../shared/flows/readers.js';
import type { RowIssue } from '../../shared/flows/schema.js';
import { trafficDerivedIn } from '../../shared/flows/traffic-features.js';
import type { ModelSpec } from '../../shared/model/model-spec.js';
import { MultiHotBuilder } from '../../shared/model/multi-hot.js';
import { SCORE_BATCH } from '../../shared/model/score-table.js';
import type { BatchScores, ScoreOptions } from '../../shared/model/vae.js';
import type { ReadingOptions } from './encode-worker.js';
import type { EncodedBatch } from './encoded-batch.js';
import { type EncodedStream, encodeInWorker } from './encoded-batches.js';
import { assertSchemaMatches, type LoadedModel } from './loaded-model.js';

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

/**
 * The encode worker started before the model is ready (startEncoding), so that its start-up
 * and first batch overlap the backend's and the model's: the worker is the slower side.
 */
export interface EarlyEncoding {
  readonly startedAt: number;
  /** The stream, with the bad rows reported so far handed to the reader's callback. */
  take(): Promise<EncodedStream>;
  /** Ends the worker when the run fails before it scores (else it would keep the process). */
  cancel(): Promise<void>;
}

type EncodingOptions = ReadingOptions & { readonly stop?: AbortSignal };

/**
 * Starts reading and encoding `files` for a model of `spec`. Bad rows are held until take(),
 * so that they are reported after what the run says about its backend and model, as before.
 */
export function startEncoding(
  spec: ModelSpec,
  files: readonly string[],
  format: FlowFormat,
  read: ReadOptions,
  options: EncodingOptions,
): EarlyEncoding {
  const startedAt = performance.now();
  const held: RowIssue[] = [];
  let report: ((issue: RowIssue) => void) | null = null;
  const onBadRow = (issue: RowIssue) => (report ? report(issue) : held.push(issue));
  const stream = openStream(spec, files, format, { ...read, onBadRow }, options);
  stream.catch(() => {}); // awaited in take(); until then a failure must not end the process
  return {
    startedAt,
    take() {
      report = (issue) => read.onBadRow?.(issue);
      for (const issue of held.splice(0)) report(issue);
      return stream;
    },
    cancel: () => stream.then((s) => s.terminate()).catch(() => {}),
  };
}

function openStream(
  spec: ModelSpec,
  files: readonly string[],
  format: FlowFormat,
  read: ReadOptions,
  options: EncodingOptions,
): Promise<EncodedStream> {
  // The model's schema says which traffic features it was trained with: derive them alike.
  const traffic = trafficDerivedIn(spec.schema);
  const selection = { files, format, onlyLabel: null, read, ...traffic };
  const { stop, follow, skipRows } = options;
  return encodeInWorker(selection, spec.encoder, SCORE_BATCH, { stop, follow, skipRows });
}

export async function scoreFlowFiles(
  loaded: LoadedModel,
  files: readonly string[],
  format: FlowFormat,
  read: ReadOptions,
  options: ScoreOptions & EncodingOptions & { readonly early?: EarlyEncoding },
  sink: (scored: ScoredBatch) => void | Promise<void>,
): Promise<ScoreRunSummary> {
  const { early, skipRows } = options;
  const started = early?.startedAt ?? performance.now();
  const stream = await (early
    ? early.take()
    : openStream(loaded.saved.spec, files, format, read, options));
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
    const x = builder.build(batch.codes, null, 0, batch.count);
    const result = model.score(x, options);
    x.dispose();
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
