import { expect } from 'chai';
import { initBackend } from '../../../shared/runtime/backend.js';
import { tensorFromView, viewValues } from '../../../shared/runtime/tensor-view.js';
import { tf } from '../../../shared/runtime/tf.js';

describe("viewing a tensor's values", function () {
  this.timeout(30_000);
  let first: string;
  before(async () => {
    await initBackend();
    first = tf.getBackend();
  });
  after(async () => {
    await initBackend(first as 'wasm');
  });

  it('shows a float32 tensor on the wasm backend in place: two views share its memory', async () => {
    await initBackend('wasm');
    const t = tf.tensor2d([
      [1.5, -2],
      [3, 4e-7],
    ]);
    const view = viewValues(t);
    expect(Array.from(view)).to.deep.equal(Array.from(new Float32Array([1.5, -2, 3, 4e-7])));
    expect(viewValues(t).buffer).to.equal(view.buffer);
    t.dispose();
  });

  it('gives the same values as a copy on the cpu backend', async () => {
    await initBackend('cpu');
    const t = tf.tensor1d([0.25, 7]);
    expect(Array.from(viewValues(t))).to.deep.equal([0.25, 7]);
    t.dispose();
  });

  for (const name of ['wasm', 'cpu'] as const)
    it(`makes a tensor that keeps its values when the viewed memory changes after (${name})`, async () => {
      await initBackend(name);
      const memory = new Float32Array([1, 2, 3, 4, 5, 6]);
      const t = tensorFromView(memory.subarray(0, 4), 2, 2);
      memory.fill(-1);
      expect(t.shape).to.deep.equal([2, 2]);
      expect(Array.from(t.dataSync())).to.deep.equal([1, 2, 3, 4]);
      t.dispose();
    });

  it('refuses a tensor that is not float32', () => {
    const t = tf.tensor1d([1, 2], 'int32');
    expect(() => viewValues(t)).to.throw('int32');
    t.dispose();
  });
});
