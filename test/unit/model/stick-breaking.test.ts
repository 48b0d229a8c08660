import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'chai';
import { DEFAULT_TRAINING, trainLocal } from '../../../client/trainer/local-trainer.js';
import type { FlowEncoder } from '../../../shared/encoding/flow-encoder.js';
import type { FlowRow } from '../../../shared/flows/schema.js';
import { componentsInUse, fewestHolding } from '../../../shared/model/components-in-use.js';
import { createModel } from '../../../shared/model/create-model.js';
import { defaultLatent } from '../../../shared/model/model-spec.js';
import { MultiHotBuilder, multiHotTensor } from '../../../shared/model/multi-hot.js';
import { registerGradients } from '../../../shared/model/register-gradients.js';
import { logMixtureWeights, STICKS_WEIGHT } from '../../../shared/model/stick-breaking.js';
import { CategoricalVae } from '../../../shared/model/vae.js';
import { initBackend } from '../../../shared/runtime/backend.js';
import { TOY_SCHEMA, toyRows } from '../../helpers/toy-flows.js';
import { toyEncoder, toyTable } from '../../helpers/toy-model.js';

function stickModel(encoder: FlowEncoder, components: number, concentration: number, seed = 1) {
  const latent = { kind: 'stick-breaking', components, concentration } as const;
  const fresh = createModel(TOY_SCHEMA, encoder.spec, { hidden: [16], latent }, seed);
  return new CategoricalVae(fresh.spec, fresh.weights);
}

/** Where a named weight sits in the flat vector. */
function slot(model: CategoricalVae, name: string): { at: number; size: number } {
  let at = 0;
  for (const w of model.spec.weights) {
    const size = w.shape.reduce((a, b) => a * b, 1);
    if (w.name === name) return { at, size };
    at += size;
  }
  throw new Error(`no weight ${name}`);
}

function setSticks(model: CategoricalVae, values: number[]): void {
  const flat = model.getWeights();
  flat.set(values, slot(model, STICKS_WEIGHT).at);
  model.setWeights(flat);
}

/** Two clusters nothing alike: tcp/http ~1 kB without SYN, and udp/dns ~60 B with SYN only. */
function twoClusters(count: number): FlowRow[] {
  return Array.from({ length: count }, (_, i) => ({
    line: i + 1,
    values: i % 2 ? ['udp', 'dns', 60, 1] : ['tcp', 'http', 1000, 0],
    label: 'normal',
  }));
}

describe('the stick-breaking latent', () => {
  before(async () => {
    await initBackend();
    registerGradients();
  });

  it('starts with its sticks at the prior mean 1 / (1 + alpha): geometric mixture weights', () => {
    const model = stickModel(toyEncoder(), 16, 3);
    const pi = model.mixtureWeights();
    expect(pi).to.have.length(16);
    for (let k = 0; k < 15; k++) expect(pi[k]).to.be.closeTo(0.25 * 0.75 ** k, 1e-6);
    expect(pi[15]).to.be.closeTo(0.75 ** 15, 1e-6);
    model.dispose();
  });

  it('has mixture weights that sum to 1 however the sticks break, the last stick taking the rest', () => {
    for (const sticks of [
      [3, -2, 0.5, -8, 9, 1, -1],
      [-30, -30, -30, -30, -30, -30, -30],
      [30, 30, 30, 30, 30, 30, 30],
    ]) {
      const pi = tf.tidy(() => tf.exp(logMixtureWeights(tf.tensor1d(sticks))).arraySync());
      expect(pi).to.have.length(8);
      expect(pi.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-5);
    }
    const allShort = tf.tidy(() =>
      tf.exp(logMixtureWeights(tf.fill([7], -30) as tf.Tensor1D)).arraySync(),
    );
    expect(allShort[7]).to.be.closeTo(1, 1e-6);
  });

  it('has a prior whose gradient pushes sticks no row uses towards 0 (alpha > 1) and leaves them alone at alpha = 1', () => {
    const encoder = toyEncoder();
    const table = toyTable(encoder, toyRows(64));
    for (const concentration of [3, 1]) {
      const model = stickModel(encoder, 6, concentration);
      // Every row's posterior on component 0: no row's likelihood depends on sticks 1..4.
      const flat = model.getWeights();
      const bias = slot(model, 'encoder.latent.bias');
      flat.set([40, 0, 0, 0, 0, 0], bias.at);
      const kernel = slot(model, 'encoder.latent.kernel');
      flat.fill(0, kernel.at, kernel.at + kernel.size);
      model.setWeights(flat);
      const x = new MultiHotBuilder(encoder).build(table.codes, null, 0, table.length);
      const n = 1000;
      const grads = tf.tidy(() => {
        const settings = { klWeight: 1, temperature: 1, seed: 1, trainingRows: n };
        const { grads } = tf.variableGrads(() => model.loss(x, settings), model.variables);
        return grads[model.variables.at(-1)!.name]!.arraySync() as number[];
      });
      const sticks = model.getWeights().subarray(slot(model, STICKS_WEIGHT).at);
      for (let k = 1; k < 5; k++) {
        // d/dbeta of -(alpha - 1) log(1 - sigmoid(beta)) / N = (alpha - 1) sigmoid(beta) / N
        const expected = ((concentration - 1) / n) * (1 / (1 + Math.exp(-sticks[k]!)));
        expect(grads[k]).to.be.closeTo(expected, 1e-7);
        if (concentration > 1) expect(grads[k]).to.be.greaterThan(0);
      }
      x.dispose();
      model.dispose();
    }
  });

  it('scores each row with its negative ELBO: the mean score plus the prior share is the loss at KL weight 1', () => {
    const encoder = toyEncoder();
    const table = toyTable(encoder, toyRows(200, 9));
    const model = stickModel(encoder, 8, 2.5, 3);
    setSticks(model, [1.5, -0.3, 0.2, -2, 0.7, 0, -1]);
    const rows = new MultiHotBuilder(encoder).rows(table.codes, null, 0, table.length);
    const { scores, fieldNll, latent } = model.score(rows);
    const x = multiHotTensor(rows);
    const n = 5000;
    const loss = tf.tidy(
      () => model.loss(x, { klWeight: 1, temperature: 1, seed: 1, trainingRows: n }).dataSync()[0]!,
    );
    x.dispose();
    const v = [1.5, -0.3, 0.2, -2, 0.7, 0, -1].map((b) => 1 / (1 + Math.exp(-b)));
    const prior = -v.reduce((s, vk) => s + Math.log(2.5) + 1.5 * Math.log(1 - vk), 0);
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    expect(mean + prior / n).to.be.closeTo(loss, 1e-3);
    // The same split as the mixture: fields' parts plus a non-negative latent (KL) part.
    for (let r = 0; r < scores.length; r++) {
      let sum = latent[r]!;
      for (let f = 0; f < 4; f++) sum += fieldNll[r * 4 + f]!;
      expect(sum).to.be.closeTo(scores[r]!, 1e-3);
      expect(latent[r]).to.be.greaterThan(-1e-4);
    }
    model.dispose();
  });

  it('counts the fewest components holding a share of the mass', () => {
    expect(fewestHolding(Float64Array.from([0.5, 0.005, 0.49, 0.005]), 0.99)).to.equal(2);
    expect(fewestHolding(Float64Array.from([0.25, 0.25, 0.25, 0.25]), 0.99)).to.equal(4);
    expect(fewestHolding(new Float64Array(3), 0.99)).to.equal(0);
  });

  it('uses few of 16 components on data with two obvious clusters, where the fixed mixture uses all', async function () {
    this.timeout(60_000);
    const rows = twoClusters(800);
    const encoder = toyEncoder(rows);
    const table = toyTable(encoder, rows);
    const options = { ...DEFAULT_TRAINING, epochs: 40, batchSize: 64, klWarmupEpochs: 0 };
    const model = stickModel(encoder, 16, 0.5, 2);
    await trainLocal(model, encoder, table, null, options);
    const used = componentsInUse(model, encoder, table)!;
    expect(used.components).to.equal(16);
    expect(used.holdingMass).to.be.within(2, 6);
    expect(used.aboveFloor).to.be.within(2, 6);
    model.dispose();
    const latent = { ...defaultLatent('mixture'), components: 16 };
    const fresh = createModel(TOY_SCHEMA, encoder.spec, { hidden: [16], latent }, 2);
    const fixed = new CategoricalVae(fresh.spec, fresh.weights);
    await trainLocal(fixed, encoder, table, null, options);
    expect(componentsInUse(fixed, encoder, table)!.holdingMass).to.equal(16);
    fixed.dispose();
  });
});
