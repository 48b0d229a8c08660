/** A small trained-from-scratch model over the toy flows, for model tests. */
import { fitEncoder } from '../../shared/encoding/fit-encoder.js';
import { FlowEncoder } from '../../shared/encoding/flow-encoder.js';
import { FlowTable } from '../../shared/encoding/flow-table.js';
import { EncoderSketch } from '../../shared/encoding/sketch.js';
import type { FlowRow } from '../../shared/flows/schema.js';
import { createModel } from '../../shared/model/create-model.js';
import { defaultLatent, type LatentSpec } from '../../shared/model/model-spec.js';
import { CategoricalVae } from '../../shared/model/vae.js';
import { TOY_SCHEMA, toyRows } from './toy-flows.js';

export function toyEncoder(rows: FlowRow[] = toyRows(1000)): FlowEncoder {
  const sketch = new EncoderSketch(TOY_SCHEMA.fields);
  for (const row of rows) sketch.add(row);
  return new FlowEncoder(
    fitEncoder(sketch, { minCategoryCount: 2, maxVocabulary: 16, numericBins: 6 }),
  );
}

export function toyTable(encoder: FlowEncoder, rows: FlowRow[]): FlowTable {
  const table = new FlowTable(encoder.fieldCount);
  for (const row of rows) encoder.encodeInto(row, table.codes, table.appendRow(row.label));
  return table;
}

export function toyModel(
  encoder: FlowEncoder,
  latent: LatentSpec['kind'] = 'gaussian',
  seed = 1,
): CategoricalVae {
  const latentSpec =
    latent === 'gaussian'
      ? ({ kind: 'gaussian', dim: 4 } as const)
      : latent === 'stick-breaking'
        ? ({ kind: 'stick-breaking', components: 6, concentration: 2 } as const)
        : { ...defaultLatent('mixture'), components: 6 };
  const fresh = createModel(TOY_SCHEMA, encoder.spec, { hidden: [16], latent: latentSpec }, seed);
  return new CategoricalVae(fresh.spec, fresh.weights);
}
