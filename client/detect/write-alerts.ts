/** Scores flow files into a JSON-lines file (or stdout): the `score` command's whole job. */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { FlowFormat } from '../../shared/flows/formats.js';
import type { ReadOptions } from '../../shared/flows/readers.js';
import { ALERT_LINES, streamOutputFile } from '../../shared/fs/output-file.js';
import { type SavedModel, weightsSha256 } from '../../shared/model/model-dir.js';
import type { ScoreOptions } from '../../shared/model/vae.js';
import { AlertFormatter, type AlertLine, type AlertOutput } from './alert-lines.js';
import type { ReadingOptions } from './encode-worker.js';
import type { StartedEncodeWorker } from './encoded-batches.js';
import type { LoadedModel } from './loaded-model.js';
import { type ScoreRunSummary, type ScoringProgress, scoreFlowFiles } from './score-flows.js';

export interface AlertRunSummary extends ScoreRunSummary {
  /** Rows that crossed at least one threshold. */
  readonly alerts: number;
}

const DIGEST_HEX_DIGITS = 16;

/** The model as alert lines name it: its weights' digest, and its federation version if any. */
export function modelIdentity(saved: SavedModel): AlertLine['model'] {
  const version = saved.metadata?.version;
  // 16 hex digits (64 bits) name a model as surely as all 64, at a quarter of the bytes on
  // every line; the model directory's integrity.json holds the whole digest.
  const digest = weightsSha256(saved.weights).slice(0, DIGEST_HEX_DIGITS);
  return typeof version === 'number' ? { digest, version } : { digest };
}

export async function writeAlertLines(
  loaded: LoadedModel,
  files: readonly string[],
  format: FlowFormat,
  read: ReadOptions,
  options: ScoreOptions &
    ReadingOptions &
    ScoringProgress & {
      topFields: number;
      alertsOnly?: boolean;
      output?: AlertOutput;
      /** Aborted: score what has been read, write it, and end (SIGTERM while reading a pipe). */
      stop?: AbortSignal;
      /** Append to `outPath` batch by batch (following a log) instead of replacing it at the end. */
      append?: boolean;
      /** Called once a batch's lines are handed to the output: rows read so far, skipped included. */
      onWritten?: (rowsThrough: number) => void;
      /** The encode worker, started ahead (used by one run only). */
      encodeWorker?: StartedEncodeWorker;
    },
  outPath: string,
): Promise<AlertRunSummary> {
  const formatter = new AlertFormatter(
    loaded.saved.spec,
    loaded.saved.thresholds,
    options.topFields,
    {
      files,
      model: modelIdentity(loaded.saved),
      alertsOnly: options.alertsOnly ?? false,
      output: options.output ?? 'fedflow',
    },
  );
  let alerts = 0;
  const score = async (out: Writable) => {
    const summary = await scoreFlowFiles(loaded, files, format, read, options, async (batch) => {
      const { bytes, alerts: crossed } = formatter.format(batch);
      alerts += crossed;
      const { onWritten } = options;
      // Once written, the next batch's lines may reuse the bytes.
      const release = (error?: Error | null) => error || formatter.release(bytes);
      if (onWritten === undefined) {
        if (!out.write(bytes, release)) await once(out, 'drain');
        return;
      }
      // Written (to the system), then reported: a position saved is never ahead of the output.
      await new Promise<void>((resolve, reject) =>
        out.write(bytes, (error) => {
          release(error);
          if (error) reject(error);
          else resolve();
        }),
      );
      onWritten(batch.firstIndex + batch.batch.count);
    });
    return { ...summary, alerts, seconds: summary.seconds };
  };
  if (outPath === '-') return score(process.stdout);
  if (options.append) return appendTo(outPath, score);
  // A file is replaced only by a complete run: a failure leaves what was there.
  return streamOutputFile(outPath, score, ALERT_LINES);
}

async function appendTo<T>(path: string, write: (out: Writable) => Promise<T>): Promise<T> {
  const out = createWriteStream(path, { flags: 'a' });
  try {
    return await write(out);
  } finally {
    out.end();
    await once(out, 'close');
  }
}
