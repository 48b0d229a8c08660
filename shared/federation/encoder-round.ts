/**
 * The federated encoder round: each site reduces its flows to a sketch (rare categorical
 * values dropped locally), the coordinator merges the sketches under a k-anonymity floor and
 * fits the one encoder every site then uses.
 */
import type { EncoderSketch } from '../encoding/sketch.js';
import { EncoderSketch as Sketch } from '../encoding/sketch.js';
import type { ModelField } from '../flows/schema.js';
import { bucketCount, DEFAULT_LOG_GRID } from '../stats/log-histogram.js';
import type { EncoderSketchPayload } from './messages.js';

/** A site's sketch as it may leave the site: categorical values seen fewer than `minCount` times are dropped. */
export function sketchPayload(sketch: EncoderSketch, minCount: number): EncoderSketchPayload {
  const categorical: { field: string; values: string[]; counts: number[] }[] = [];
  const numeric: { field: string; counts: number[] }[] = [];
  for (const field of sketch.fields) {
    if (field.kind === 'categorical') {
      const kept = [...field.counts]
        .filter(([, n]) => n >= minCount)
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      categorical.push({
        field: field.name,
        values: kept.map(([v]) => v),
        counts: kept.map(([, n]) => n),
      });
    } else {
      numeric.push({ field: field.name, counts: [...field.histogram.counts] });
    }
  }
  return { kind: 'sketch', rows: sketch.rows, categorical, numeric };
}

/** Why a sketch payload does not fit the published schema and grid, or null when it does. */
export function sketchProblem(
  fields: readonly ModelField[],
  payload: EncoderSketchPayload,
): string | null {
  if (!(Number.isInteger(payload.rows) && payload.rows >= 0))
    return `rows must be a non-negative integer, got ${payload.rows}`;
  const sameNames = (list: readonly { field: string }[], kind: ModelField['kind']) => {
    const expected = fields.filter((f) => f.kind === kind).map((f) => f.name);
    // Element by element: a field named "a,b" must not pass for the two fields a and b.
    if (list.length === expected.length && list.every((e, i) => e.field === expected[i]))
      return null;
    return `${kind} fields are [${list.map((e) => e.field).join(', ')}], expected [${expected.join(', ')}]`;
  };
  const names =
    sameNames(payload.categorical, 'categorical') ?? sameNames(payload.numeric, 'numeric');
  if (names) return names;
  const buckets = bucketCount(DEFAULT_LOG_GRID);
  for (const entry of payload.numeric) {
    if (entry.counts.length !== buckets)
      return `numeric field ${entry.field} has ${entry.counts.length} buckets, the grid has ${buckets}`;
    if (entry.counts.some((c) => !(Number.isInteger(c) && c >= 0)))
      return `numeric field ${entry.field} has a count that is not a non-negative integer`;
    const total = entry.counts.reduce((a, b) => a + b, 0);
    if (total > payload.rows)
      return `numeric field ${entry.field} counts ${total} values in ${payload.rows} rows`;
  }
  for (const entry of payload.categorical) {
    if (entry.values.length !== entry.counts.length)
      return `categorical field ${entry.field} has ${entry.values.length} values but ${entry.counts.length} counts`;
    if (entry.values.length > MAX_SKETCH_VALUES)
      return `categorical field ${entry.field} has ${entry.values.length} values, at most ${MAX_SKETCH_VALUES} are accepted`;
    if (entry.values.some((v) => v.length > MAX_VALUE_CHARS))
      return `categorical field ${entry.field} has a value longer than ${MAX_VALUE_CHARS} characters`;
    if (entry.counts.some((c) => !(Number.isInteger(c) && c > 0)))
      return `categorical field ${entry.field} has a count that is not a positive integer`;
    if (new Set(entry.values).size !== entry.values.length)
      return `categorical field ${entry.field} repeats a value`;
    const total = entry.counts.reduce((a, b) => a + b, 0);
    if (total > payload.rows)
      return `categorical field ${entry.field} counts ${total} values in ${payload.rows} rows`;
  }
  return null;
}

/** Bounds on what one site's sketch may carry (a vocabulary keeps at most a few hundred values). */
export const MAX_SKETCH_VALUES = 4096;
export const MAX_VALUE_CHARS = 256;

export interface KAnonymityFloor {
  /** A categorical value is kept only if at least this many sites reported it... */
  readonly minSites: number;
  /** ...and at least this many flows carry it across all sites. */
  readonly minRecords: number;
}

/** Merges validated site sketches; values below the floor are left out (they map to "other"). */
export function mergeSketchPayloads(
  fields: readonly ModelField[],
  payloads: readonly EncoderSketchPayload[],
  floor: KAnonymityFloor,
): EncoderSketch {
  const merged = new Sketch(fields);
  const sites = new Map<string, Map<string, { sites: number; records: number }>>();
  for (const payload of payloads) {
    merged.rows += payload.rows;
    for (const entry of payload.categorical) {
      const values =
        sites.get(entry.field) ?? new Map<string, { sites: number; records: number }>();
      sites.set(entry.field, values);
      entry.values.forEach((value, i) => {
        const seen = values.get(value) ?? { sites: 0, records: 0 };
        values.set(value, { sites: seen.sites + 1, records: seen.records + entry.counts[i]! });
      });
    }
    for (const entry of payload.numeric) {
      const field = merged.fields.find((f) => f.name === entry.field);
      if (field?.kind !== 'numeric') continue;
      for (let b = 0; b < entry.counts.length; b++) field.histogram.counts[b]! += entry.counts[b]!;
    }
  }
  for (const field of merged.fields) {
    if (field.kind !== 'categorical') continue;
    for (const [value, seen] of sites.get(field.name) ?? []) {
      if (seen.sites >= floor.minSites && seen.records >= floor.minRecords)
        field.counts.set(value, seen.records);
    }
  }
  return merged;
}
