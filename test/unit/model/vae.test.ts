import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'chai';
import { DEFAULT_TRAINING, trainLocal } from '../../../client/trainer/local-trainer.js';
import { scoreTable } from '../../../shared/model/score-table.js';
import { initBackend } from '../../../shared/runtime/backend.js';
import { toyRows } from '../../helpers/toy-flows.js';
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
      const x = (await import('../../../shared/model/multi-hot.js')).MultiHotBuilder;
      const input = new x(encoder).build(odd.codes, null, 0, 1);
      const { fieldNll } = model.score(input);
      input.dispose();
      const worst = [...fieldNll].indexOf(Math.max(...fieldNll));
      expect(encoder.spec.fields[worst]!.name).to.equal('bytes');
      model.dispose();
    });
  });
}
