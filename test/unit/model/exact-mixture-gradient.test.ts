import { expect } from 'chai';
import { createModel } from '../../../shared/model/create-model.js';
import { defaultLatent } from '../../../shared/model/model-spec.js';
import { MultiHotBuilder } from '../../../shared/model/multi-hot.js';
import { registerGradients } from '../../../shared/model/register-gradients.js';
import { CategoricalVae } from '../../../shared/model/vae.js';
import { initBackend } from '../../../shared/runtime/backend.js';
import { tf } from '../../../shared/runtime/tf.js';
import { TOY_SCHEMA, toyRows } from '../../helpers/toy-flows.js';
import { toyEncoder, toyTable } from '../../helpers/toy-model.js';

/** The loss and gradient autograd finds for `model.loss`, flattened like lossAndGradient's. */
function autograd(model: CategoricalVae, x: tf.Tensor2D, klWeight: number): Float32Array {
  registerGradients();
  return tf.tidy(() => {
    const settings = { klWeight, temperature: 1, seed: 1, mixtureObjective: 'exact' as const };
    const { value, grads } = tf.variableGrads(() => model.loss(x, settings), model.variables);
    const parts = model.variables.map((v) => tf.reshape(grads[v.name]!, [-1]));
    return tf.concat([...parts, tf.reshape(value, [1])]).dataSync() as Float32Array;
  });
}

describe('the exact mixture objective with its hand-written gradient', () => {
  before(async () => {
    await initBackend();
  });

  for (const hidden of [[16], [12, 8], []]) {
    it(`matches autograd's loss and gradient with hidden layers [${hidden}]`, () => {
      const encoder = toyEncoder();
      const latent = { ...defaultLatent('mixture'), components: 5 };
      const fresh = createModel(TOY_SCHEMA, encoder.spec, { hidden, latent }, 4);
      const model = new CategoricalVae(fresh.spec, fresh.weights);
      const table = toyTable(encoder, toyRows(90, 7));
      const builder = new MultiHotBuilder(encoder);
      const x = builder.build(table.codes, null, 0, 90);
      const rows = builder.rows(table.codes, null, 0, 90);
      for (const klWeight of [0, 0.6, 1]) {
        const expected = autograd(model, x, klWeight);
        const settings = { klWeight, temperature: 1, seed: 1, mixtureObjective: 'exact' as const };
        const flat = model.lossAndGradient(rows, settings)!;
        const actual = flat.dataSync();
        flat.dispose();
        expect(actual.length).to.equal(fresh.weights.length + 1);
        const scale = Math.max(...expected.map(Math.abs));
        for (let i = 0; i < expected.length; i++)
          expect(actual[i], `entry ${i} at KL weight ${klWeight}`).to.be.closeTo(
            expected[i]!,
            1e-5 * scale,
          );
      }
      x.dispose();
      model.dispose();
    });
  }

  it('is not offered for a Gaussian latent or the Gumbel-softmax objective', () => {
    const encoder = toyEncoder();
    const rows = toyTable(encoder, toyRows(20, 2));
    const batch = new MultiHotBuilder(encoder).rows(rows.codes, null, 0, 20);
    const gaussian = createModel(
      TOY_SCHEMA,
      encoder.spec,
      { hidden: [8], latent: { kind: 'gaussian', dim: 3 } },
      1,
    );
    const mixture = createModel(
      TOY_SCHEMA,
      encoder.spec,
      { hidden: [8], latent: defaultLatent('mixture') },
      1,
    );
    const a = new CategoricalVae(gaussian.spec, gaussian.weights);
    const b = new CategoricalVae(mixture.spec, mixture.weights);
    const settings = { klWeight: 1, temperature: 1, seed: 1 };
    expect(a.lossAndGradient(batch, { ...settings, mixtureObjective: 'exact' })).to.equal(null);
    expect(b.lossAndGradient(batch, { ...settings, mixtureObjective: 'gumbel-softmax' })).to.equal(
      null,
    );
    a.dispose();
    b.dispose();
  });
});

describe('the multi-hot batch builder', () => {
  before(async () => {
    await initBackend();
  });

  it("gives the columns of the dense batch's ones, rows taken in the given order", () => {
    const encoder = toyEncoder();
    const table = toyTable(encoder, toyRows(40, 3));
    const order = Uint32Array.from([7, 3, 30, 11, 0]);
    const builder = new MultiHotBuilder(encoder);
    const rows = builder.rows(table.codes, order, 1, 3);
    expect(rows).to.include({ count: 3, fields: encoder.fieldCount, width: encoder.width });
    const dense = builder.build(table.codes, Uint32Array.from([3, 30, 11]), 0, 3);
    const values = dense.dataSync() as Float32Array;
    dense.dispose();
    const expected: number[] = [];
    for (let r = 0; r < 3; r++)
      for (let c = 0; c < encoder.width; c++)
        if (values[r * encoder.width + c] === 1) expected.push(c);
    expect(Array.from(rows.columns)).to.deep.equal(expected);
    expect(values.reduce((a, b) => a + b, 0)).to.equal(3 * encoder.fieldCount);
  });
});
