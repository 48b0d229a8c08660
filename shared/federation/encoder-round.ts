/**
 * The federated encoder round: each site reduces its flows to a sketch (rare categorical
 * values dropped locally), the coordinator merges the sketches under a k-anonymity floor and
 * fits the one encoder every site then uses.
 */
import type { EncoderSketch } from '../encoding/sketch.js';
import { EncoderSketch as Sketch } from '../encoding/sketch.js';
import type { FlowSchema, ModelField } from '../flows/schema.js';
import {
  lastConnectionsIn,
  TRAFFIC_MARKER_FIELD,
  trafficDerivedIn,
} from '../flows/traffic-features.js';
import { domainProblem, valueDomain } from '../flows/value-domains.js';
import { bucketCount, DEFAULT_LOG_GRID } from '../stats/log-histogram.js';
import { type EncoderSketchPayload, MAX_SKETCH_VALUES } from './messages.js';

/** Least count of a categorical value in any sketch: a site's own floor, whatever is published. */
export const MIN_SKETCH_COUNT = 3;
/** Most bytes of categorical value text in one sketch (honest sketches carry a few KB). */
export const MAX_SKETCH_VALUE_BYTES = 32_768;
/** Most rows a sketch may declare unless the coordinator sets a lower ceiling. */
export const MAX_SKETCH_ROWS = 1_000_000_000;

export interface SketchLimits {
  /** Least count of a categorical value: the published floor, never below MIN_SKETCH_COUNT. */
  readonly minCount: number;
  /** Most rows a sketch may declare. */
  readonly maxRows: number;
  /** Most values one categorical field may carry: the published limit, at most MAX_SKETCH_VALUES. */
  readonly maxValues: number;
}

/** What the protocol allows whatever a coordinator publishes (the auditor's rules). */
export const PROTOCOL_SKETCH_LIMITS: SketchLimits = {
  minCount: MIN_SKETCH_COUNT,
  maxRows: MAX_SKETCH_ROWS,
  maxValues: MAX_SKETCH_VALUES,
};

/**
 * A site's sketch as it may leave the site: categorical values seen fewer than `minCount`
 * (at least MIN_SKETCH_COUNT) times, or outside their field's value domain, are dropped (they
 * map to "other"), and at most `maxValues` (at most MAX_SKETCH_VALUES) of the most frequent
 * values per field and MAX_SKETCH_VALUE_BYTES of value text in all are kept.
 */
export function sketchPayload(
  sketch: EncoderSketch,
  minCount: number,
  schemaName: string,
  maxValues: number = MAX_SKETCH_VALUES,
): EncoderSketchPayload {
  const floor = Math.max(MIN_SKETCH_COUNT, minCount);
  const most = Math.min(MAX_SKETCH_VALUES, maxValues);
  const categorical: { field: string; values: string[]; counts: number[] }[] = [];
  const numeric: { field: string; counts: number[] }[] = [];
  // An equal share of the byte budget for each field, so one field's many values cannot
  // leave the fields after it empty.
  const categoricalFields = sketch.fields.filter((f) => f.kind === 'categorical').length;
  const share = Math.floor(MAX_SKETCH_VALUE_BYTES / Math.max(1, categoricalFields));
  for (const field of sketch.fields) {
    if (field.kind === 'categorical') {
      let budget = share;
      const domain = valueDomain(schemaName, field.name);
      const frequent: [string, number][] = [];
      const byCount = [...field.counts]
        .filter(([v, n]) => n >= floor && domainProblem(domain, v) === null)
        .sort((a, b) => b[1] - a[1] || compare(a[0], b[0]));
      for (const [value, n] of byCount.slice(0, most)) {
        budget -= byteLength(value);
        if (budget < 0) break;
        frequent.push([value, n]);
      }
      frequent.sort((a, b) => compare(a[0], b[0]));
      categorical.push({
        field: field.name,
        values: frequent.map(([v]) => v),
        counts: frequent.map(([, n]) => n),
      });
    } else {
      numeric.push({ field: field.name, counts: [...field.histogram.counts] });
    }
  }
  return { kind: 'sketch', rows: sketch.rows, categorical, numeric };
}

/**
 * Why a sketch payload breaks the rules every site keeps, or null: the published schema and
 * grid; a declared row count under the ceiling and equal to every numeric field's count (each
 * row has one value per field); every categorical value in its field's domain, at least
 * `minCount` times, at most `maxValues` per field and MAX_SKETCH_VALUE_BYTES in all.
 * The coordinator refuses such a sketch and `fedflow audit verify` fails a run that sent one.
 */
export function sketchProblem(
  schema: FlowSchema,
  payload: EncoderSketchPayload,
  limits: SketchLimits = PROTOCOL_SKETCH_LIMITS,
): string | null {
  const { fields } = schema;
  if (!(Number.isInteger(payload.rows) && payload.rows >= 0))
    return `rows must be a non-negative integer, got ${payload.rows}`;
  if (payload.rows > limits.maxRows)
    return `declares ${payload.rows} rows, more than the ${limits.maxRows} a site may declare`;
  const sameNames = (list: readonly { field: string }[], kind: ModelField['kind']) => {
    const expected = fields.filter((f) => f.kind === kind).map((f) => f.name);
    // Element by element: a field named "a,b" must not pass for the two fields a and b.
    if (list.length === expected.length && list.every((e, i) => e.field === expected[i]))
      return null;
    return `${kind} fields are [${list.map((e) => e.field).join(', ')}], expected [${expected.join(', ')}]`;
  };
  const names =
    sameNames(payload.categorical, 'categorical') ?? sameNames(payload.numeric, 'numeric');
  if (names) return names + trafficSettingHint(schema, payload);
  const buckets = bucketCount(DEFAULT_LOG_GRID);
  for (const entry of payload.numeric) {
    if (entry.counts.length !== buckets)
      return `numeric field ${entry.field} has ${entry.counts.length} buckets, the grid has ${buckets}`;
    if (entry.counts.some((c) => !(Number.isInteger(c) && c >= 0)))
      return `numeric field ${entry.field} has a count that is not a non-negative integer`;
    const total = entry.counts.reduce((a, b) => a + b, 0);
    if (total !== payload.rows)
      return `numeric field ${entry.field} counts ${total} values in ${payload.rows} rows; every row has one`;
  }
  let bytes = 0;
  for (const entry of payload.categorical) {
    if (entry.values.length !== entry.counts.length)
      return `categorical field ${entry.field} has ${entry.values.length} values but ${entry.counts.length} counts`;
    if (entry.values.length > limits.maxValues)
      return `categorical field ${entry.field} has ${entry.values.length} values, at most ${limits.maxValues} are accepted`;
    const domain = valueDomain(schema.name, entry.field);
    for (const [i, value] of entry.values.entries()) {
      const outside = domainProblem(domain, value);
      if (outside) return `categorical field ${entry.field} value ${show(value)} ${outside}`;
      const count = entry.counts[i]!;
      if (!(Number.isInteger(count) && count >= limits.minCount))
        return `categorical field ${entry.field} value ${show(value)} has count ${count}; counts must be integers of at least ${limits.minCount}`;
      bytes += byteLength(value);
    }
    if (new Set(entry.values).size !== entry.values.length)
      return `categorical field ${entry.field} repeats a value`;
    const total = entry.counts.reduce((a, b) => a + b, 0);
    if (total > payload.rows)
      return `categorical field ${entry.field} counts ${total} values in ${payload.rows} rows`;
  }
  if (bytes > MAX_SKETCH_VALUE_BYTES)
    return `carries ${bytes} bytes of categorical values, at most ${MAX_SKETCH_VALUE_BYTES} are accepted`;
  return null;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byteLength = (value: string) => Buffer.byteLength(value, 'utf8');

/** A value as a finding quotes it: JSON, cut at 40 characters. */
function show(value: string): string {
  const quoted = JSON.stringify(value);
  return quoted.length <= 42 ? quoted : `${quoted.slice(0, 40)}..." (${value.length} characters)`;
}

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

/** When a sketch's fields differ only as traffic features would, the setting to look at. */
function trafficSettingHint(schema: FlowSchema, payload: EncoderSketchPayload): string {
  const expected = trafficDerivedIn(schema);
  const names = payload.numeric.map((entry) => entry.field);
  const sent = names.includes(TRAFFIC_MARKER_FIELD);
  if (expected.trafficFeatures !== sent)
    return `: the coordinator ${expected.trafficFeatures ? 'derives' : 'does not derive'} per-host traffic features and this site ${sent ? 'does' : 'does not'} (data.trafficFeatures and every site's input.trafficFeatures must agree)`;
  const last = lastConnectionsIn(names);
  if (sent && expected.lastConnections !== last)
    return `: the coordinator describes each host's last ${expected.lastConnections} connections and this site its last ${last} (0 = none; data.lastConnections and every site's input.lastConnections must agree)`;
  return '';
}
