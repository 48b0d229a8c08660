import { expect } from 'chai';
import type { EncodedBatch } from '../../../client/detect/encoded-batch.js';
import { WorkerScorer } from '../../../client/detect/worker-scorer.js';
import { createModel } from '../../../shared/model/create-model.js';
import { defaultLatent } from '../../../shared/model/model-spec.js';
import { MultiHotBuilder } from '../../../shared/model/multi-hot.js';
import { CategoricalVae } from '../../../shared/model/vae.js';
import { initBackend } from '../../../shared/runtime/backend.js';
import { tf } from '../../../shared/runtime/tf.js';
import { TOY_SCHEMA, toyRows } from '../../helpers/toy-flows.js';
import { toyEncoder, toyTable } from '../../helpers/toy-model.js';

/** A batch as the encode worker builds it; only its codes and count matter for scoring. */
function batchOf(codes: Uint16Array, count: number): EncodedBatch {
  const none = new Uint32Array(count);
  return {
    count,
    codes,
    numbers: new Float64Array(codes.length),
    lines: none,
    files: none,
    labelIndex: none,
    labelTable: [null],
    valueText: '',
    valueStarts: new Uint32Array(count + 1),
    contextText: '',
    contextStarts: new Uint32Array(count + 1),
  };
}

describe("the encode worker's share of scoring", () => {
  before(async () => {
    await initBackend();
  });

  it('scores every other batch once its model is loaded, exactly as the main thread would', async () => {
    const encoder = toyEncoder();
    const latent = { ...defaultLatent('mixture'), components: 5 };
    const fresh = createModel(TOY_SCHEMA, encoder.spec, { hidden: [12], latent }, 7);
    const table = toyTable(encoder, toyRows(300, 12));
    const batch = batchOf(table.codes, 300);
    const scorer = new WorkerScorer({
      spec: fresh.spec,
      weights: fresh.weights,
      backend: tf.getBackend() as 'wasm' | 'cpu',
      options: {},
      share: 0.5,
    });
    expect(scorer.scoreIfDue(batch), 'before the model is loaded').to.equal(null);
    await scorer.load();
    const turns = [0, 1, 2, 3].map(() => scorer.scoreIfDue(batch));
    // The first call above was the first batch: the second is the worker's, and so on.
    expect(turns.map((t) => t !== null)).to.deep.equal([true, false, true, false]);

    const main = new CategoricalVae(fresh.spec, fresh.weights);
    const expected = main.score(new MultiHotBuilder(encoder).rows(table.codes, null, 0, 300));
    for (const part of ['scores', 'fieldNll', 'latent'] as const)
      expect(Array.from(turns[0]![part])).to.deep.equal(Array.from(expected[part]));
    main.dispose();
  });

  it('scores its share of batches spread evenly when the share is not one in n', async () => {
    const encoder = toyEncoder();
    const latent = { ...defaultLatent('mixture'), components: 5 };
    const fresh = createModel(TOY_SCHEMA, encoder.spec, { hidden: [12], latent }, 7);
    const batch = batchOf(toyTable(encoder, toyRows(10, 3)).codes, 10);
    const backend = tf.getBackend() as 'wasm' | 'cpu';
    const scorer = new WorkerScorer({ ...fresh, backend, options: {}, share: 0.45 });
    await scorer.load();
    const turns = Array.from({ length: 20 }, () => scorer.scoreIfDue(batch) !== null);
    expect(turns.filter(Boolean)).to.have.length(9);
    // Never two in a row: the main thread always has the batch after the worker's.
    expect(turns.some((due, k) => due && turns[k + 1])).to.equal(false);
  });
});
