/**
 * Main-thread side of the encode worker: an async stream of encoded batches, with bad-row
 * reports relayed to the caller's callback and the worker's errors re-thrown here.
 */

import type { Worker } from 'node:worker_threads';
import type { EncoderSpec } from '../../shared/encoding/encoder-spec.js';
import type { HistorySettings } from '../../shared/encoding/host-history.js';
import type { FlowSelection } from '../../shared/flows/pipeline.js';
import { FlowFormatError, type FlowSchema, type RowIssue } from '../../shared/flows/schema.js';
import { startModuleWorker } from '../../shared/runtime/module-worker.js';
import type { EncodeWorkerInput, ReadingOptions } from './encode-worker.js';
import type { WorkerMessage } from './encode-worker-protocol.js';
import type { EncodedBatch } from './encoded-batch.js';
import type { WorkerScoring } from './worker-scorer.js';

export interface EncodedStream {
  readonly schema: FlowSchema;
  readonly batches: AsyncIterable<EncodedBatch>;
  /** Rows read and malformed rows skipped; final once `batches` is exhausted. */
  readonly stats: { rows: number; badRows: number };
}

// Batches in flight: one being scored, one ready, one being filled.
const CREDITS = 2;

/**
 * An encode worker started before its job is known: its modules (the flow readers, the
 * encoder, TensorFlow.js for its share of scoring) load while the caller loads the model,
 * instead of after. Unused, it does not keep the process alive.
 */
export class StartedEncodeWorker {
  readonly worker: Worker = startModuleWorker(import.meta.url, 'encode-worker', {});
  /** An error the worker raised before encodeInWorker listened (a module failing to load). */
  early: Error | null = null;
  private taken = false;
  private readonly keep = (error: Error) => {
    this.early = error;
  };

  constructor() {
    this.worker.unref();
    this.worker.on('error', this.keep);
  }

  /** The worker, for encodeInWorker only (once): it keeps the process alive again. */
  take(): { worker: Worker; early: Error | null } {
    if (this.taken) throw new Error('an encode worker started ahead runs one job only');
    this.taken = true;
    this.worker.off('error', this.keep);
    this.worker.ref();
    return { worker: this.worker, early: this.early };
  }
}

/** Runs the flow pipeline on `selection` in a worker and streams its rows encoded, in batches. */
export async function encodeInWorker(
  selection: FlowSelection,
  encoder: EncoderSpec,
  batchSize: number,
  options: ReadingOptions & {
    /** When aborted, the worker sends what it has read and ends, without waiting for more. */
    readonly stop?: AbortSignal;
    /** Have the worker score a share of the batches too (worker-scorer.ts). */
    readonly scoring?: WorkerScoring;
    /** A worker started ahead (used once); absent, one is started here. */
    readonly started?: StartedEncodeWorker;
    /** Give each row its source host's earlier flows (the sequence model's input). */
    readonly history?: HistorySettings | null;
  } = {},
): Promise<EncodedStream> {
  const { stop, scoring, started, history, ...reading } = options;
  // Functions do not cross to the worker: bad rows come back as messages, progress as batches.
  const { onBadRow, onProgress: _, ...portable } = selection.read;
  const files = selection.files;
  const input: EncodeWorkerInput = {
    selection: { ...selection, read: portable },
    encoder,
    batchSize,
    credits: CREDITS,
    reading,
    ...(scoring ? { scoring } : {}),
    ...(history ? { history } : {}),
  };
  const { worker, early } = (started ?? new StartedEncodeWorker()).take();
  worker.postMessage(input);
  const askToStop = () => worker.postMessage('stop');
  if (stop?.aborted) askToStop();
  stop?.addEventListener('abort', askToStop, { once: true });
  const next = messages(worker, early, onBadRow);
  const fail = (m: Extract<WorkerMessage, { type: 'error' }>): never => {
    void worker.terminate();
    if (m.name === 'FlowFormatError')
      throw new FlowFormatError(m.message, m.file ?? files.join(', '), m.line);
    throw new Error(m.message);
  };
  const first = await next();
  if (first.type === 'error') fail(first);
  if (first.type !== 'schema')
    throw new Error(`encode worker sent '${first.type}' before the schema`);
  const stats = { rows: 0, badRows: 0 };
  async function* batches(): AsyncGenerator<EncodedBatch> {
    try {
      for (;;) {
        const m = await next();
        if (m.type === 'batch') {
          yield m.batch;
          worker.postMessage('credit');
        } else if (m.type === 'end') {
          Object.assign(stats, m.stats);
          return;
        } else if (m.type === 'error') {
          fail(m);
        }
      }
    } finally {
      stop?.removeEventListener('abort', askToStop);
      await worker.terminate();
    }
  }
  return { schema: first.schema, batches: batches(), stats };
}

/**
 * The worker's messages in order, one per call (a bad row goes to `onBadRow` instead); throws
 * once the worker has crashed (or had crashed before anyone listened: `early`).
 */
function messages(
  worker: Worker,
  early: Error | null,
  onBadRow: ((issue: RowIssue) => void) | undefined,
): () => Promise<WorkerMessage> {
  const queue: WorkerMessage[] = [];
  let wake: (() => void) | null = null;
  let crashed: Error | null = early;
  worker.on('message', (m: WorkerMessage) => {
    if (m.type === 'bad-row') onBadRow?.(m.issue);
    else queue.push(m);
    wake?.();
  });
  worker.on('error', (error) => {
    crashed = error;
    wake?.();
  });
  return async () => {
    while (queue.length === 0) {
      if (crashed) throw crashed;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
    return queue.shift()!;
  };
}
