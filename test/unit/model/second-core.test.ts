import { expect } from 'chai';
import { trainLocal } from '../../../client/trainer/local-trainer.js';
import { SecondCore, secondCore } from '../../../client/trainer/second-core.js';
import { trainingThreads } from '../../../client/trainer/training-threads.js';
import { type BackendName, initBackend } from '../../../shared/runtime/backend.js';
import { tf } from '../../../shared/runtime/tf.js';
import { toyRows } from '../../helpers/toy-flows.js';
import { toyEncoder, toyModel, toyTable } from '../../helpers/toy-model.js';

const OPTIONS = {
  epochs: 2,
  batchSize: 256,
  learningRate: 0.004,
  klWarmupEpochs: 0,
  patience: 99,
  seed: 5,
  mixtureObjective: 'exact' as const,
};

describe('training on two threads', () => {
  before(async () => {
    await initBackend();
  });

  for (const latent of ['mixture', 'stick-breaking', 'gaussian'] as const) {
    it(`gives a ${latent} latent the weights one thread gives, the worker computing half of each batch`, async () => {
      const encoder = toyEncoder();
      const train = toyTable(encoder, toyRows(1500, 40));
      const one = toyModel(encoder, latent, 2);
      const two = toyModel(encoder, latent, 2);
      const objective = latent === 'gaussian' ? 'gumbel-softmax' : 'exact';
      const core = secondCore(tf.getBackend() as BackendName);
      const before = core.stepsDone;
      const a = await trainLocal(one, encoder, train, null, {
        ...OPTIONS,
        mixtureObjective: objective,
        threads: 1,
      });
      expect(core.stepsDone).to.equal(before);
      const b = await trainLocal(two, encoder, train, null, {
        ...OPTIONS,
        mixtureObjective: objective,
        threads: 2,
      });
      // 1500 rows in batches of 256: 5 full batches and one of 220 split, per epoch.
      expect(core.stepsDone - before).to.equal(12);
      const wa = one.getWeights();
      const wb = two.getWeights();
      if (latent !== 'gaussian') {
        // The same mathematics (the stick-breaking prior's share per row included) summed in another order: equal up to float rounding.
        for (let i = 0; i < wa.length; i++) expect(wb[i]).to.be.closeTo(wa[i]!, 1e-3);
        expect(b.history[1]!.trainLoss).to.be.closeTo(a.history[1]!.trainLoss, 1e-3);
      } else {
        // Sampled noise differs per half, so only the objective's level must agree.
        expect(b.history[1]!.trainLoss).to.be.closeTo(
          a.history[1]!.trainLoss,
          0.1 * a.history[1]!.trainLoss,
        );
      }
      one.dispose();
      two.dispose();
    });
  }

  it('trains twice to identical weights with the same seed', async () => {
    const encoder = toyEncoder();
    const train = toyTable(encoder, toyRows(800, 20));
    const [a, b] = [toyModel(encoder, 'mixture', 3), toyModel(encoder, 'mixture', 3)];
    await trainLocal(a, encoder, train, null, { ...OPTIONS, threads: 2 });
    await trainLocal(b, encoder, train, null, { ...OPTIONS, threads: 2 });
    expect(Buffer.from(a.getWeights().buffer).equals(Buffer.from(b.getWeights().buffer))).to.equal(
      true,
    );
    a.dispose();
    b.dispose();
  });

  it('reports a worker that cannot start its backend as an error on this thread', async function () {
    const native = await import('@tensorflow/tfjs-node' as string).then(
      () => true,
      () => false,
    );
    if (native) this.skip(); // the failure needs a backend that cannot load
    const encoder = toyEncoder();
    const model = toyModel(encoder, 'mixture', 1);
    const core = SecondCore.start('tensorflow');
    try {
      expect(() => core.prepare(model.spec, 100)).to.throw(
        /^training worker: the training worker could not start backend 'tensorflow'/,
      );
    } finally {
      await core.stop();
      model.dispose();
    }
  });

  it('takes its default from FEDFLOW_TRAINING_THREADS, else one, and refuses other values', () => {
    expect(trainingThreads({})).to.equal(1);
    expect(trainingThreads({ FEDFLOW_TRAINING_THREADS: '1' })).to.equal(1);
    expect(trainingThreads({ FEDFLOW_TRAINING_THREADS: '2' })).to.equal(2);
    expect(() => trainingThreads({ FEDFLOW_TRAINING_THREADS: '8' })).to.throw(
      "FEDFLOW_TRAINING_THREADS: expected 1 or 2, got '8'",
    );
  });
});
