/**
 * Formats scored flows as JSON lines: row number, score, which thresholds it crosses, and
 * the fields that contributed most (value, its encoded category, probability, nats).
 */
import { describeCode } from '../../shared/encoding/encoder-spec.js';
import type { ModelSpec } from '../../shared/model/model-spec.js';
import { type ThresholdSet, targetKey } from '../../shared/model/thresholds.js';
import type { ScoredBatch } from './score-flows.js';

export interface AlertLine {
  readonly row: number;
  readonly line: number;
  readonly score: number;
  readonly alerts: Record<string, boolean>;
  readonly label?: string;
  readonly top: readonly {
    field: string;
    value: string | number;
    category: string;
    probability: number;
    nats: number;
  }[];
}

export function alertLines(
  spec: ModelSpec,
  thresholds: ThresholdSet | null,
  batch: ScoredBatch,
  topFields: number,
): AlertLine[] {
  const fields = spec.encoder.fields;
  const f = fields.length;
  const { scores, fieldNll } = batch.result;
  const top = new Int32Array(topFields);
  return batch.rows.map((row, r) => {
    const score = scores[r]!;
    const alerts: Record<string, boolean> = {};
    for (const t of thresholds?.targets ?? []) alerts[targetKey(t.fpr)] = score > t.threshold;
    const base = r * f;
    const count = largestK(fieldNll, base, f, top);
    const contributions = Array.from(top.subarray(0, count), (i) => {
      const nats = fieldNll[base + i]!;
      return {
        field: fields[i]!.name,
        value: row.values[i]!,
        category: describeCode(fields[i]!, batch.codes[base + i]!),
        probability: round(Math.exp(-nats)),
        nats: round(nats),
      };
    });
    const line: AlertLine = {
      row: batch.firstIndex + r + 1,
      line: row.line,
      score: round(score),
      alerts,
      top: contributions,
    };
    return row.label === null ? line : { ...line, label: row.label };
  });
}

/** Indices of the k largest of values[base .. base + n), largest first, into `out`; returns k. */
function largestK(values: Float32Array, base: number, n: number, out: Int32Array): number {
  const k = Math.min(out.length, n);
  for (let filled = 0, i = 0; i < n; i++) {
    const v = values[base + i]!;
    // Insertion into a short sorted list: O(n * k) with k ~ 3, cheaper than sorting all fields.
    let at = filled < k ? filled++ : k;
    if (at === k && v <= values[base + out[k - 1]!]!) continue;
    if (at === k) at = k - 1;
    while (at > 0 && values[base + out[at - 1]!]! < v) {
      out[at] = out[at - 1]!;
      at--;
    }
    out[at] = i;
  }
  return k;
}

function round(value: number): number {
  return Number(value.toPrecision(6));
}
