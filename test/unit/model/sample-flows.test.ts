import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'chai';
import { DEFAULT_TRAINING, trainLocal } from '../../../client/trainer/local-trainer.js';
import { FlowTable } from '../../../shared/encoding/flow-table.js';
import { fieldProbabilities, sampleFlows } from '../../../shared/model/sample-flows.js';
import { initBackend } from '../../../shared/runtime/backend.js';
import { toyRows } from '../../helpers/toy-flows.js';
import { toyEncoder, toyModel, toyTable } from '../../helpers/toy-model.js';

/** Share of rows whose code for `field` is `code`. */
function share(table: FlowTable, field: number, code: number): number {
  let hits = 0;
  for (let r = 0; r < table.length; r++)
    if (table.codes[r * table.fieldCount + field] === code) hits++;
  return hits / table.length;
}

/**
 * p(field = code) under the model: exact over a mixture's components (uniform prior), a
 * Monte Carlo mean over 4000 standard normal points for a Gaussian latent.
 */
function modelMarginals(
  model: ReturnType<typeof toyModel>,
  encoder: ReturnType<typeof toyEncoder>,
  latent: 'mixture' | 'gaussian',
): Float64Array {
  const arch = model.spec.architecture.latent;
  const z = (
    arch.kind !== 'gaussian'
      ? tf.eye(arch.components)
      : tf.randomNormal([4000, arch.dim], 0, 1, 'float32', 99)
  ) as tf.Tensor2D;
  const probs = fieldProbabilities(model, z, encoder);
  const rows = z.shape[0];
  z.dispose();
  const mean = new Float64Array(encoder.width);
  for (let i = 0; i < probs.length; i++) mean[i % encoder.width]! += probs[i]! / rows;
  expect(latent).to.equal(arch.kind);
  return mean;
}

for (const latent of ['mixture', 'gaussian'] as const) {
  describe(`sampling flows from a model with a ${latent} latent`, () => {
    const encoder = toyEncoder(toyRows(1200));
    let model: ReturnType<typeof toyModel>;
    before(async () => {
      await initBackend();
      model = toyModel(encoder, latent);
      const options = { ...DEFAULT_TRAINING, epochs: 12, batchSize: 64, klWarmupEpochs: 0 };
      await trainLocal(model, encoder, toyTable(encoder, toyRows(1200)), null, options);
    });
    after(() => model.dispose());

    it('draws codes every field can take, as many rows as asked, without labels', () => {
      const flows = sampleFlows(model, encoder, 500, 1);
      expect(flows.length).to.equal(500);
      for (let r = 0; r < flows.length; r++) {
        expect(flows.label(r)).to.equal(null);
        for (let f = 0; f < encoder.fieldCount; f++)
          expect(flows.codes[r * encoder.fieldCount + f]).to.be.below(encoder.cardinalities[f]!);
      }
    });

    it("draws each code as often as the model's own distribution gives it", () => {
      const flows = sampleFlows(model, encoder, 6000, 2);
      const expected = modelMarginals(model, encoder, latent);
      for (let f = 0; f < encoder.fieldCount; f++) {
        for (let code = 0; code < encoder.cardinalities[f]!; code++)
          expect(share(flows, f, code)).to.be.closeTo(expected[encoder.offsets[f]! + code]!, 0.03);
      }
    });

    it('gives the same flows for the same seed and others for another, leaking no tensors', () => {
      const before = tf.memory().numTensors;
      const a = sampleFlows(model, encoder, 200, 7);
      const b = sampleFlows(model, encoder, 200, 7);
      const c = sampleFlows(model, encoder, 200, 8);
      expect([...a.codes.subarray(0, 800)]).to.deep.equal([...b.codes.subarray(0, 800)]);
      expect([...a.codes.subarray(0, 800)]).to.not.deep.equal([...c.codes.subarray(0, 800)]);
      expect(tf.memory().numTensors).to.equal(before);
    });
  });
}

describe('joining flow tables', () => {
  it('keeps the rows of both, in order, with their labels', () => {
    const encoder = toyEncoder();
    const a = toyTable(encoder, toyRows(3));
    const b = toyTable(encoder, toyRows(5, 2));
    const joined = a.concat(b);
    expect(joined.length).to.equal(8);
    expect(joined.label(0)).to.equal('normal');
    expect(joined.label(4)).to.equal('attack');
    const f = encoder.fieldCount;
    expect([...joined.codes.subarray(3 * f, 8 * f)]).to.deep.equal([...b.codes.subarray(0, 5 * f)]);
  });

  it('refuses a table of other fields', () => {
    expect(() => new FlowTable(3).concat(new FlowTable(4))).to.throw(
      'cannot join a table of 4 fields to one of 3',
    );
  });
});
