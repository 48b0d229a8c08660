/**
 * The derive stage of the flow pipeline: fields computed from a site's own traffic (per-host
 * counts over earlier flows, for example) and appended to each row's model fields. A stage sees
 * rows in file order, every row (whatever the training selection), and only earlier rows when it
 * derives a row's values, so training, scoring and the encoder round derive alike.
 */
import type { ContextColumns } from './flow-context.js';
import type { FlowFormat } from './formats.js';
import { mapRows } from './row-batches.js';
import type { FlowRow, FlowSchema, ModelField } from './schema.js';
import { DEFAULT_TRAFFIC_FEATURES, trafficFeatures } from './traffic-features.js';

export interface DeriveStage {
  /** The model fields this stage appends, in order. */
  readonly fields: readonly ModelField[];
  /** Pushes this row's derived values onto `out` (from earlier rows only), then learns from it. */
  derive(row: FlowRow, out: (string | number)[]): void;
}

/** A fresh stage per pass: stages keep state, and every pass must start from none. */
export type DeriveStageFactory = () => DeriveStage;

/**
 * The stages rows of a format get: per-host traffic features where rows carry a timestamp and
 * addresses (Zeek, Suricata EVE, nfdump; CSV mappings whose context names them), unless
 * `traffic` is false; none for NSL-KDD and KDD99, whose rows carry such features already
 * (count, dst_host_*).
 */
export function defaultDeriveStages(
  format: FlowFormat,
  schema: FlowSchema,
  options: { traffic?: boolean; lastConnections?: number; csvContext?: ContextColumns } = {},
): readonly DeriveStageFactory[] {
  if (options.traffic === false) return [];
  const context = options.csvContext;
  const timed =
    format === 'zeek' ||
    format === 'suricata-eve' ||
    format === 'nfdump' ||
    (format === 'csv' && !!context?.ts && !!context.srcAddr && !!context.dstAddr);
  if (!timed) return [];
  const lastConnections = options.lastConnections ?? 0;
  return [trafficFeatures(schema, { ...DEFAULT_TRAFFIC_FEATURES, lastConnections })];
}

/** The schema rows have after the stages: the read fields, then each stage's fields. */
export function derivedSchema(
  schema: FlowSchema,
  stages: readonly DeriveStageFactory[],
): FlowSchema {
  if (stages.length === 0) return schema;
  const derived = stages.flatMap((stage) => stage().fields);
  // A CSV mapping may name its own fields; one named like a derived field would give the
  // model two fields of one name, and every later lookup by name the wrong one.
  const clash = derived.find((d) => schema.fields.some((f) => f.name === d.name));
  if (clash)
    throw new Error(
      `model field '${clash.name}' is also the name of a derived traffic feature: rename it in the mapping, or turn traffic features off (input.trafficFeatures / data.trafficFeatures: false)`,
    );
  return { name: schema.name, fields: [...schema.fields, ...derived] };
}

/** `rows` with the stages' fields appended; the same iterable when there are no stages. */
export function deriveRows(
  rows: AsyncIterable<FlowRow>,
  stages: readonly DeriveStageFactory[],
): AsyncIterable<FlowRow> {
  if (stages.length === 0) return rows;
  // Fresh stages for every pass: their windows start empty.
  return mapRows(rows, () => {
    const fresh = stages.map((stage) => stage());
    return (row) => {
      const values = [...row.values];
      for (const stage of fresh) stage.derive(row, values);
      return { ...row, values };
    };
  });
}
