/**
 * A site's training data under a given model's encoder (none is fitted): its files must carry
 * the model's fields, checked from their headers before a row is read, or codes would be
 * meaningless.
 */
import { FlowEncoder } from '../../shared/encoding/flow-encoder.js';
import { type FlowSelection, openPipeline } from '../../shared/flows/pipeline.js';
import type { FlowSchema, ModelField } from '../../shared/flows/schema.js';
import { trafficDerivedIn } from '../../shared/flows/traffic-features.js';
import { historySettingsFor } from '../../shared/model/gru/gru-layers.js';
import type { ModelSpec } from '../../shared/model/model-spec.js';
import {
  assertUsableRows,
  encodePipeline,
  type LocalData,
  type SplitShares,
  splitTable,
} from './training-set.js';

/** Reads, checks the schema, encodes with `spec.encoder` and splits (seeded). */
export async function prepareDataForSpec(
  selection: FlowSelection,
  spec: ModelSpec,
  shares: SplitShares,
): Promise<LocalData> {
  // Derive what the model was trained with, whatever the selection asked for.
  const flows = await openPipeline({ ...selection, ...trafficDerivedIn(spec.schema) });
  const difference = schemaDifference(spec.schema, flows.schema);
  if (difference !== null)
    throw new Error(
      `${selection.files.join(', ')} (schema '${flows.schema.name}') does not match the model's schema '${spec.schema.name}': ${difference}`,
    );
  const encoder = new FlowEncoder(spec.encoder);
  const table = await encodePipeline(
    flows,
    encoder,
    historySettingsFor(spec.kind, spec.architecture),
  );
  assertUsableRows(selection, table.length);
  const summary = {
    rowsRead: flows.stats.rows,
    rowsUsed: table.length,
    badRows: flows.stats.badRows,
  };
  const split = splitTable(table, shares);
  return { schema: spec.schema, encoderSpec: spec.encoder, encoder, ...split, summary };
}

/** The first field where `input` differs from `model` (name, kind, numeric kind), or null. */
export function schemaDifference(model: FlowSchema, input: FlowSchema): string | null {
  const count = Math.max(model.fields.length, input.fields.length);
  for (let i = 0; i < count; i++) {
    const expected = model.fields[i];
    const actual = input.fields[i];
    if (expected && actual && describeField(expected) === describeField(actual)) continue;
    const position = `field ${i + 1}`;
    if (!actual) return `${position}: the model has '${describeField(expected!)}', the data ends`;
    if (!expected) return `${position}: the data has '${describeField(actual)}', the model ends`;
    return `${position}: the model has '${describeField(expected)}', the data '${describeField(actual)}'`;
  }
  return null;
}

function describeField(field: ModelField): string {
  return `${field.name} (${field.kind === 'numeric' ? `numeric ${field.numeric}` : field.kind})`;
}
