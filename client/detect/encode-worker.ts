/**
 * Worker thread: reads and encodes flow files into batches while the main thread scores the
 * previous ones (on 2 cores, parsing and the model then overlap). Flow control is by credits:
 * the worker sends a batch only while it holds one, so memory stays bounded. A batch is also
 * sent unfilled once its first row has waited IDLE_FLUSH_MS (a slow pipe's flows are scored
 * within a second, not when 4,096 have come), and at once when the main thread says stop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EncoderSpec } from '../../shared/encoding/encoder-spec.js';
import { FlowEncoder } from '../../shared/encoding/flow-encoder.js';
import type { HistorySettings } from '../../shared/encoding/host-history.js';
import { followFile } from '../../shared/flows/follow-file.js';
import { type FlowSelection, openPipeline } from '../../shared/flows/pipeline.js';
import type { ReadOptions } from '../../shared/flows/readers.js';
import { FlowFormatError, type FlowSchema } from '../../shared/flows/schema.js';
import { BatchBuilder } from './batch-builder.js';
import type { WorkerMessage } from './encode-worker-protocol.js';
import { WorkerScorer, type WorkerScoring } from './worker-scorer.js';

export interface EncodeWorkerInput {
  /** The flows to encode; the bad-row callback stays on the main thread. */
  readonly selection: Omit<FlowSelection, 'read'> & { read: Omit<ReadOptions, 'onBadRow'> };
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

const input = workerData as EncodeWorkerInput;
const port = parentPort!;
let credits = input.credits;
let waiting: (() => void) | null = null;
/** 'stop': send what is read, then end, even while the input waits for more. */
let stopRequested = false;
let onStop: (() => void) | null = null;
port.on('message', (message: 'credit' | 'stop') => {
  if (message === 'stop') {
    stopRequested = true;
    onStop?.();
    return;
  }
  credits++;
  waiting?.();
  waiting = null;
});

/** How long the first row of an unfilled batch may wait before the batch goes anyway. */
const IDLE_FLUSH_MS = 400;

const send = (message: WorkerMessage, transfer: ArrayBuffer[] = []) =>
  port.postMessage(message, transfer);

async function run(): Promise<void> {
  const encoder = new FlowEncoder(input.encoder);
  if (input.reading.follow) for (const file of input.selection.files) followFile(file);
  let toSkip = input.reading.skipRows ?? 0;
  const flows = await openPipeline({
    ...input.selection,
    read: { ...input.selection.read, onBadRow: (issue) => send({ type: 'bad-row', issue }) },
  });
  send({ type: 'schema', schema: flows.schema satisfies FlowSchema });
  const scorer = input.scoring ? new WorkerScorer(input.scoring) : null;
  // A model that fails to load here only means the main thread scores every batch.
  scorer?.load().catch(() => {});
  const batch = new BatchBuilder(
    encoder,
    input.batchSize,
    input.history ?? null,
    async (encoded, transfer) => {
      while (credits === 0) await new Promise<void>((resolve) => (waiting = resolve));
      credits--;
      const scored = scorer?.scoreIfDue(encoded);
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
    for await (const row of flows.rows) {
      if (stopRequested) return;
      if (toSkip > 0) {
        toSkip--;
        batch.skip(row); // scored before the restart, still part of its host's history
        continue;
      }
      await batch.add(row);
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
