import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'chai';
import { DEFAULT_TRAINING, trainLocal } from '../../../client/trainer/local-trainer.js';
import { createModel } from '../../../shared/model/create-model.js';
import { defaultLatent } from '../../../shared/model/model-spec.js';
import { MultiHotBuilder } from '../../../shared/model/multi-hot.js';
import { scoreTable } from '../../../shared/model/score-table.js';
import { CategoricalVae } from '../../../shared/model/vae.js';
import { initBackend } from '../../../shared/runtime/backend.js';
import { TOY_SCHEMA, toyRows } from '../../helpers/toy-flows.js';
import { toyEncoder, toyModel, toyTable } from '../../helpers/toy-model.js';

const BASE = { ...DEFAULT_TRAINING, epochs: 8, batchSize: 64, patience: 3 };

const VARIANTS = [
  { latent: 'gaussian', objective: 'gumbel-softmax', name: 'a Gaussian latent' },
  { latent: 'mixture', objective: 'gumbel-softmax', name: 'a Gumbel-softmax mixture latent' },
  {
    latent: 'mixture',
    objective: 'exact',
    name: 'a mixture latent trained on the exact expectation',
  },
] as const;

for (const { latent, objective, name } of VARIANTS) {
  const QUICK = {
    ...BASE,
    mixtureObjective: objective,
    klWarmupEpochs: latent === 'gaussian' ? 2 : 0,
  };
  describe(`categorical VAE with ${name}`, () => {
    before(async () => {
      await initBackend();
    });

    it('gives identical weights when trained twice with the same seed', async () => {
      const encoder = toyEncoder();
      const train = toyTable(encoder, toyRows(500, 25));
      const a = toyModel(encoder, latent, 3);
      const b = toyModel(encoder, latent, 3);
      await trainLocal(a, encoder, train, null, { ...QUICK, epochs: 2, seed: 9 });
      await trainLocal(b, encoder, train, null, { ...QUICK, epochs: 2, seed: 9 });
      expect(
        Buffer.from(a.getWeights().buffer).equals(Buffer.from(b.getWeights().buffer)),
      ).to.equal(true);
      const c = toyModel(encoder, latent, 3);
      await trainLocal(c, encoder, train, null, { ...QUICK, epochs: 2, seed: 10 });
      expect(
        Buffer.from(c.getWeights().buffer).equals(Buffer.from(a.getWeights().buffer)),
      ).to.equal(false);
      for (const m of [a, b, c]) m.dispose();
    });

    it('leaves the tensor count unchanged after a training epoch and after scoring', async () => {
      const encoder = toyEncoder();
      const model = toyModel(encoder, latent);
      const train = toyTable(encoder, toyRows(300, 10));
      await trainLocal(model, encoder, train, train, { ...QUICK, epochs: 1 }); // warms up lazily created state
      const before = tf.memory().numTensors;
      await trainLocal(model, encoder, train, train, { ...QUICK, epochs: 1 });
      expect(tf.memory().numTensors).to.equal(before);
      scoreTable(model, encoder, train);
      scoreTable(model, encoder, train, { importanceSamples: 4 });
      expect(tf.memory().numTensors).to.equal(before);
      model.dispose();
    });

    it('splits every score into per-field terms that point at the unusual field', async () => {
      const encoder = toyEncoder();
      const model = toyModel(encoder, latent);
      await trainLocal(model, encoder, toyTable(encoder, toyRows(1200)), null, QUICK);
      const odd = toyTable(encoder, [{ line: 1, values: ['tcp', 'http', 5e9, 0], label: null }]);
      const { fieldNll } = model.score(new MultiHotBuilder(encoder).rows(odd.codes, null, 0, 1));
      const worst = [...fieldNll].indexOf(Math.max(...fieldNll));
      expect(encoder.spec.fields[worst]!.name).to.equal('bytes');
      model.dispose();
    });
  });
}

describe('the mixture VAE scored through the multi-hot kernels', () => {
  before(async () => {
    await initBackend();
  });

  for (const hidden of [[16], []]) {
    it(`averages its scores to the exact training loss, computed apart on the dense batch (hidden [${hidden}])`, async () => {
      const encoder = toyEncoder();
      const latent = { ...defaultLatent('mixture'), components: 6 };
      const fresh = createModel(TOY_SCHEMA, encoder.spec, { hidden, latent }, 2);
      const model = new CategoricalVae(fresh.spec, fresh.weights);
      const train = toyTable(encoder, toyRows(400, 4));
      await trainLocal(model, encoder, train, null, { ...BASE, epochs: 2, klWarmupEpochs: 0 });
      const builder = new MultiHotBuilder(encoder);
      const { scores } = model.score(builder.rows(train.codes, null, 0, 200));
      const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
      const x = builder.build(train.codes, null, 0, 200);
      const settings = { klWeight: 1, temperature: 1, seed: 1, mixtureObjective: 'exact' as const };
      const loss = model.loss(x, settings);
      expect(mean).to.be.closeTo(loss.dataSync()[0]!, 1e-4 * Math.abs(mean));
      tf.dispose([x, loss]);
      model.dispose();
    });
  }
});
