import { expect } from 'chai';
import { FlatAdam } from '../../../client/trainer/flat-adam.js';
import { initBackend } from '../../../shared/runtime/backend.js';
import { tf } from '../../../shared/runtime/tf.js';

describe('Adam over flat weights', () => {
  before(async () => {
    await initBackend();
  });

  it('takes the same steps as tfjs Adam with the same learning rate', () => {
    const start = Float32Array.from({ length: 50 }, (_, i) => Math.sin(i) * 2);
    const gradients = Array.from({ length: 6 }, (_, s) =>
      Float32Array.from({ length: 50 }, (_, i) => Math.cos(i * (s + 1)) * 10 ** ((i % 5) - 2)),
    );
    const variable = tf.variable(tf.tensor1d(start));
    const reference = tf.train.adam(0.01);
    const weights = start.slice();
    const adam = new FlatAdam(50, 0.01);
    for (const g of gradients) {
      reference.applyGradients([{ name: variable.name, tensor: tf.tensor1d(g) }]);
      adam.step(weights, g);
    }
    const expected = variable.dataSync();
    for (let i = 0; i < 50; i++) expect(weights[i]).to.be.closeTo(expected[i]!, 1e-6);
    expect(adam.steps).to.equal(6);
    reference.dispose();
    variable.dispose();
  });

  it('refuses weights or gradients of another length, naming both', () => {
    const adam = new FlatAdam(4, 0.1);
    expect(() => adam.step(new Float32Array(4), new Float32Array(3))).to.throw(
      'Adam holds 4 weights but was given 4 weights and 3 gradients',
    );
  });
});
