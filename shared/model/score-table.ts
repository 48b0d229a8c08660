/** Scores every row of an encoded table in batches (validation loss, calibration, evaluation). */
import type { FlowEncoder } from '../encoding/flow-encoder.js';
import type { FlowTable } from '../encoding/flow-table.js';
import type { DetectorModel, ScoreOptions } from './detector-model.js';
import { withHistory } from './model-rows.js';
import { MultiHotBuilder } from './multi-hot.js';

export const SCORE_BATCH = 2048;

/** Anomaly score of every row, in table order (given its history when the table has one). */
export function scoreTable(
  model: DetectorModel,
  encoder: FlowEncoder,
  table: FlowTable,
  options: ScoreOptions = {},
): Float32Array {
  const builder = new MultiHotBuilder(encoder);
  const scores = new Float32Array(table.length);
  for (let start = 0; start < table.length; start += SCORE_BATCH) {
    const count = Math.min(SCORE_BATCH, table.length - start);
    const rows = withHistory(
      builder.rows(table.codes, null, start, count),
      table.history,
      null,
      start,
    );
    scores.set(model.score(rows, options).scores, start);
  }
  return scores;
}

export function meanScore(model: DetectorModel, encoder: FlowEncoder, table: FlowTable): number {
  const scores = scoreTable(model, encoder, table);
  let sum = 0;
  for (const s of scores) sum += s;
  return sum / scores.length;
}
