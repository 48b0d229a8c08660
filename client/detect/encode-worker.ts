/**
 * Worker thread: reads and encodes flow files into batches while the main thread scores the
 * previous ones (on 2 cores, parsing and the model then overlap). Flow control is by credits:
 * the worker sends a batch only while it holds one, so memory stays bounded. A batch is also
 * sent unfilled once its first row has waited IDLE_FLUSH_MS (a slow pipe's flows are scored
 * within a second, not when 4,096 have come), and at once when the main thread says stop.
 */
import { parentPort } from 'node:worker_threads';
import type { EncoderSpec } from '../../shared/encoding/encoder-spec.js';
import { FlowEncoder } from '../../shared/encoding/flow-encoder.js';
import type { HistorySettings } from '../../shared/encoding/host-history.js';
import { followFile } from '../../shared/flows/follow-file.js';
import { type FlowSelection, openPipeline } from '../../shared/flows/pipeline.js';
import type { ReadOptions } from '../../shared/flows/readers.js';
import { rowBatches } from '../../shared/flows/row-batches.js';
import { FlowFormatError, type FlowSchema } from '../../shared/flows/schema.js';
import { BatchBuilder } from './batch-builder.js';
import type { WorkerMessage } from './encode-worker-protocol.js';
import type { WorkerScorer, WorkerScoring } from './worker-scorer.js';

export interface EncodeWorkerInput {
  /** The flows to encode; the callbacks (bad rows, progress) stay on the main thread. */
  readonly selection: Omit<FlowSelection, 'read'> & {
    read: Omit<ReadOptions, 'onBadRow' | 'onProgress'>;
  };
  readonly encoder: EncoderSpec;
  readonly batchSize: number;
  readonly credits: number;
  readonly reading: ReadingOptions;
  /** Score a share of the batches here too (worker-scorer.ts); absent: encode only. */
  readonly scoring?: WorkerScoring;
  /** Give each row its source host's earlier flows, in file order (the gru's input). */
  readonly history?: HistorySettings;
}

/** How the worker reads: a whole file once (the default), or following it as it grows. */
export interface ReadingOptions {
  /** Follow the files as they grow and rotate (score --follow); only 'stop' ends the read. */
  readonly follow?: boolean;
  /**
   * Rows to read and derive but not send, the first this many (a restart resuming where it
   * stopped: their traffic context still counts for the rows after them).
   */
  readonly skipRows?: number;
}

const port = parentPort!;
let credits = 0;
let waiting: (() => void) | null = null;
/** 'stop': send what is read, then end, even while the input waits for more. */
let stopRequested = false;
let onStop: (() => void) | null = null;
let received: (input: EncodeWorkerInput) => void = () => {};
/*
 * The job comes as the first message, not as workerData: the worker can then be started
 * before the job is known (startEncodeWorker), loading its modules while the main thread
 * loads the model. One listener from the start, so no message after it can be missed.
 */
const job = new Promise<EncodeWorkerInput>((resolve) => (received = resolve));
port.on('message', (message: EncodeWorkerInput | 'credit' | 'stop') => {
  if (typeof message === 'object') {
    credits = message.credits;
    received(message);
    return;
  }
  if (message === 'stop') {
    stopRequested = true;
    onStop?.();
    return;
  }
  credits++;
  waiting?.();
  waiting = null;
});

/**
 * The worker's scorer, loaded in the background (loadScorer). Its modules (TensorFlow.js, the
 * model's) start loading as the worker starts, while it waits for its job, and not before
 * reading: the first batch goes to the main thread ~40 ms sooner. Imported once reading is
 * under way instead, they took 0.5 s, the reading loop leaving the module loader few turns.
 */
const scorerModule = import('./worker-scorer.js');
scorerModule.catch(() => {});

const input = await job;

/** How long the first row of an unfilled batch may wait before the batch goes anyway. */
const IDLE_FLUSH_MS = 400;

const send = (message: WorkerMessage, transfer: ArrayBuffer[] = []) =>
  port.postMessage(message, transfer);

/**
 * Until `ready` is set, every batch goes unscored (the main thread scores it); a model that
 * fails to load here only means the main thread scores every batch.
 */
function loadScorer(scoring: WorkerScoring): { ready: WorkerScorer | null } {
  const scorer: { ready: WorkerScorer | null } = { ready: null };
  scorerModule
    .then(async ({ WorkerScorer }) => {
      const loading = new WorkerScorer(scoring);
      await loading.load();
      scorer.ready = loading;
    })
    .catch(() => {});
  return scorer;
}

async function run(): Promise<void> {
  const encoder = new FlowEncoder(input.encoder);
  if (input.reading.follow) for (const file of input.selection.files) followFile(file);
  let toSkip = input.reading.skipRows ?? 0;
  const flows = await openPipeline({
    ...input.selection,
    read: { ...input.selection.read, onBadRow: (issue) => send({ type: 'bad-row', issue }) },
  });
  send({ type: 'schema', schema: flows.schema satisfies FlowSchema });
  const scorer = input.scoring ? loadScorer(input.scoring) : null;
  const batch = new BatchBuilder(
    encoder,
    input.batchSize,
    input.history ?? null,
    async (encoded, transfer) => {
      while (credits === 0) await new Promise<void>((resolve) => (waiting = resolve));
      credits--;
      const scored = scorer?.ready?.scoreIfDue(encoded);
      if (!scored) return send({ type: 'batch', batch: encoded }, transfer);
      const arrays = [scored.scores, scored.fieldNll, scored.latent];
      send({ type: 'batch', batch: { ...encoded, scored } }, [
        ...transfer,
        ...arrays.map((a) => a.buffer as ArrayBuffer),
      ]);
    },
  );
  const idle = setInterval(() => {
    if (batch.waited(IDLE_FLUSH_MS)) void batch.flush();
  }, IDLE_FLUSH_MS / 4);
  const stopping = new Promise<void>((resolve) => {
    onStop = resolve;
    if (stopRequested) resolve();
  });
  const reading = (async () => {
    // In the reader's batches: an async step per read chunk, not per row (row-batches.ts).
    for await (const rows of rowBatches(flows.rows)) {
      for (const row of rows) {
        if (stopRequested) return;
        if (toSkip > 0) {
          toSkip--;
          batch.skip(row); // scored before the restart, still part of its host's history
          continue;
        }
        const sending = batch.add(row);
        if (sending) await sending;
      }
    }
  })();
  try {
    // Stopping does not wait for the input: a pipe may hold its next line back for hours.
    await Promise.race([reading, stopping]);
  } finally {
    clearInterval(idle);
  }
  // Stopped with a read under way: whatever it brings later is not scored, nor reported.
  reading.catch(() => {});
  await batch.flush();
  send({ type: 'end', stats: { ...flows.stats } });
}

run().then(
  () => port.close(),
  (error: unknown) => {
    const e = error instanceof Error ? error : new Error(String(error));
    send({
      type: 'error',
      message: e.message,
      name: e.name,
      file: e instanceof FlowFormatError ? e.file : null,
      line: e instanceof FlowFormatError ? e.line : null,
    });
    port.close();
  },
);
