/**
 * Scores flow files with a model, batch by batch in input order, and hands each batch's
 * results to a sink (alert lines, evaluation). Only one batch of raw values is held at once.
 */
import type { FlowFormat } from '../../shared/flows/formats.js';
import { type ReadOptions, readFlowFiles } from '../../shared/flows/readers.js';
import type { FlowRow } from '../../shared/flows/schema.js';
import { MultiHotBuilder } from '../../shared/model/multi-hot.js';
import { SCORE_BATCH } from '../../shared/model/score-table.js';
import type { BatchScores, ScoreOptions } from '../../shared/model/vae.js';
import { assertSchemaMatches, type LoadedModel } from './loaded-model.js';

export interface ScoredBatch {
  /** The rows as read (values, label, line). */
  readonly rows: readonly FlowRow[];
  /** Per-field codes, row-major. */
  readonly codes: Uint16Array;
  readonly result: BatchScores;
  /** 0-based index of the first row among all rows scored so far. */
  readonly firstIndex: number;
}

export interface ScoreRunSummary {
  readonly rowsScored: number;
  readonly badRows: number;
  readonly seconds: number;
}

export async function scoreFlowFiles(
  loaded: LoadedModel,
  files: readonly string[],
  format: FlowFormat,
  read: ReadOptions,
  options: ScoreOptions,
  sink: (batch: ScoredBatch) => void | Promise<void>,
): Promise<ScoreRunSummary> {
  const started = performance.now();
  const source = await readFlowFiles([...files], format, read);
  assertSchemaMatches(loaded.saved.spec.schema, source.schema, files.join(', '));
  const { encoder, model } = loaded;
  const builder = new MultiHotBuilder(encoder);
  const fields = encoder.fieldCount;
  const codes = new Uint16Array(SCORE_BATCH * fields);
  let rows: FlowRow[] = [];
  let scored = 0;
  const flush = async () => {
    if (rows.length === 0) return;
    const x = builder.build(codes, null, 0, rows.length);
    const result = model.score(x, options);
    x.dispose();
    await sink({ rows, codes: codes.slice(0, rows.length * fields), result, firstIndex: scored });
    scored += rows.length;
    rows = [];
  };
  for await (const row of source.rows) {
    encoder.encodeInto(row, codes, rows.length * fields);
    rows.push(row);
    if (rows.length === SCORE_BATCH) await flush();
  }
  await flush();
  return {
    rowsScored: scored,
    badRows: source.stats.badRows,
    seconds: (performance.now() - started) / 1000,
  };
}
