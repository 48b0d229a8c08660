import { expect } from 'chai';
import { planFromConfig } from '../../../coordinator/rounds/plan-from-config.js';
import { initialModel } from '../../../coordinator/rounds/protocols/encoder-round.js';
import { loadCoordinatorConfig } from '../../../shared/config/federation-config.js';
import { loadModelConfig, modelFromConfig } from '../../../shared/config/model-config.js';
import type { FlowEncoder } from '../../../shared/encoding/flow-encoder.js';
import { EncoderSketch } from '../../../shared/encoding/sketch.js';
import { sketchPayload } from '../../../shared/federation/encoder-round.js';
import { FieldSegments } from '../../../shared/model/categorical-likelihood.js';
import { createModel } from '../../../shared/model/create-model.js';
import { AladGan } from '../../../shared/model/gan/alad-gan.js';
import { fieldSoftmax, ganObjectives } from '../../../shared/model/gan/gan-objectives.js';
import { MultiHotBuilder, multiHotTensor } from '../../../shared/model/multi-hot.js';
import { readModelSpec } from '../../../shared/model/read-model-spec.js';
import { initBackend } from '../../../shared/runtime/backend.js';
import { tf } from '../../../shared/runtime/tf.js';
import { TOY_SCHEMA, toyRows } from '../../helpers/toy-flows.js';
import { toyEncoder, toyTable } from '../../helpers/toy-model.js';

const ARCHITECTURE = { hidden: [16], latent: { kind: 'gaussian', dim: 4 } } as const;

describe('the ALAD GAN detector kind', () => {
  let encoder: FlowEncoder;
  before(async () => {
    await initBackend();
    encoder = toyEncoder(toyRows(1000));
  });
  const gan = (seed = 1) => {
    const fresh = createModel(TOY_SCHEMA, encoder.spec, ARCHITECTURE, seed, 'alad-gan');
    return new AladGan(fresh.spec, fresh.weights);
  };

  it('carries all five networks (encoder, generator, three discriminators) in one weight manifest', () => {
    const { spec, weights } = createModel(TOY_SCHEMA, encoder.spec, ARCHITECTURE, 1, 'alad-gan');
    const networks = new Set(spec.weights.map((w) => w.name.split('.')[0]));
    expect([...networks]).to.deep.equal(['encoder', 'generator', 'dxz', 'dxx', 'dzz']);
    const model = new AladGan(spec, weights);
    expect(model.getWeights().length).to.equal(weights.length);
    model.dispose();
  });

  it('steps each player down its own objective: discriminators on theirs, encoder and generator on theirs', () => {
    const model = gan(2);
    const table = toyTable(encoder, toyRows(128, 8));
    const rows = new MultiHotBuilder(encoder).rows(table.codes, null, 0, table.length);
    const x = multiHotTensor(rows);
    const settings = { klWeight: 1, temperature: 1, seed: 9 };
    const objectives = () =>
      tf.tidy(() => {
        const z = tf.randomNormal([rows.count, 4], 0, 1, 'float32', settings.seed);
        const { discriminator, generator } = ganObjectives(
          // biome-ignore lint/suspicious/noExplicitAny: the test reads the model's own networks
          (model as any).nets,
          model.segments,
          x,
          z as tf.Tensor2D,
        );
        return [discriminator.dataSync()[0]!, generator.dataSync()[0]!];
      });
    const flat = model.lossAndGradient(rows, settings);
    const gradient = flat.dataSync().slice(0, -1) as Float32Array;
    flat.dispose();
    const start = model.getWeights();
    const [d0, g0] = objectives();
    // The discriminators' entries sit after the encoder's and generator's in manifest order.
    const firstAdversary = model.spec.weights.findIndex((w) => w.name.startsWith('dxz'));
    const split = model.spec.weights
      .slice(0, firstAdversary)
      .reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
    const stepped = (from: number, to: number) => {
      const w = start.slice();
      for (let i = from; i < to; i++) w[i] = w[i]! - 0.01 * gradient[i]!;
      model.setWeights(w);
      return objectives();
    };
    const [dAfterAdversaryStep] = stepped(split, gradient.length);
    const [, gAfterPlayersStep] = stepped(0, split);
    expect(dAfterAdversaryStep, 'discriminator objective').to.be.lessThan(d0!);
    expect(gAfterPlayersStep, 'encoder and generator objective').to.be.lessThan(g0!);
    x.dispose();
    model.dispose();
  });

  it('scores a row by its reconstruction: fields sum to the score and the latent part is zero', () => {
    const model = gan(3);
    const table = toyTable(encoder, toyRows(32, 4));
    const rows = new MultiHotBuilder(encoder).rows(table.codes, null, 0, table.length);
    const { scores, fieldNll, latent } = model.score(rows);
    expect([...latent].every((v) => v === 0)).to.equal(true);
    const x = multiHotTensor(rows);
    const logits = model.reconstruct(x);
    const expected = model.segments.fieldNegLogLikelihood(logits, x);
    const values = expected.dataSync();
    for (let i = 0; i < values.length; i++) expect(fieldNll[i]).to.be.closeTo(values[i]!, 1e-4);
    expect(scores[0]).to.be.closeTo(
      fieldNll.slice(0, 4).reduce((a, b) => a + b, 0),
      1e-4,
    );
    tf.dispose([x, logits, expected]);
    const distances = model.featureDistance(rows);
    expect(distances.length).to.equal(rows.count);
    expect([...distances].every((d) => d >= 0)).to.equal(true);
    model.dispose();
  });

  // What diverged a bench run to NaN: 0 / 0 for a field whose every logit underflowed.
  it("keeps per-field probabilities finite when one field's logits sit far below another's", () => {
    const segments = new FieldSegments([2, 3]);
    const logits = tf.tensor2d([[200, 199, -5, -6, -7]]);
    const probs = fieldSoftmax(logits, segments);
    const p = [...probs.dataSync()];
    expect(p.every(Number.isFinite)).to.equal(true);
    expect(p[0]! + p[1]!).to.be.closeTo(1, 1e-5);
    expect(p[2]! + p[3]! + p[4]!).to.be.within(0, 1);
    tf.dispose([logits, probs]);
    segments.dispose();
  });

  it('refuses a spec whose GAN has a mixture latent, naming the setting', () => {
    const { spec } = createModel(TOY_SCHEMA, encoder.spec, ARCHITECTURE, 1, 'alad-gan');
    const mixture = { kind: 'mixture', components: 4, temperature: { start: 1, end: 0.5 } };
    const bad = { ...spec, architecture: { ...spec.architecture, latent: mixture } };
    expect(() => readModelSpec(JSON.parse(JSON.stringify(bad)), 'model.json')).to.throw(
      /model\.json.*alad-gan.*gaussian/,
    );
    const vaeWeights = createModel(TOY_SCHEMA, encoder.spec, ARCHITECTURE, 1).spec.weights;
    expect(() => readModelSpec({ ...spec, weights: vaeWeights }, 'model.json')).to.throw(
      /'weights' does not match/,
    );
  });

  it('is chosen by model.kind, with a gaussian latent of model.latentDim whatever model.latent says', () => {
    expect(modelFromConfig(loadModelConfig().getProperties().model).kind).to.equal(
      'categorical-vae',
    );
    const config = loadModelConfig(undefined, {
      'model.kind': 'alad-gan',
      'model.latent': 'mixture',
      'model.latentDim': 5,
    }).getProperties();
    expect(modelFromConfig(config.model)).to.deep.equal({
      kind: 'alad-gan',
      architecture: { hidden: [128], latent: { kind: 'gaussian', dim: 5 } },
    });
  });

  it("makes the coordinator's first global model an alad-gan when its config names the kind", async () => {
    const config = loadCoordinatorConfig(undefined, {
      'model.kind': 'alad-gan',
      'model.hidden': 8,
      'federation.minSites': 1,
      'federation.minRecords': 1,
    });
    const plan = { ...(await planFromConfig(config, 0)), schema: TOY_SCHEMA };
    const sketch = new EncoderSketch(TOY_SCHEMA.fields);
    for (const row of toyRows(500)) sketch.add(row);
    const payload = sketchPayload(sketch, 1, TOY_SCHEMA.name);
    const model = initialModel(plan, [{ clientId: 'a', payload }]);
    expect(model.spec.kind).to.equal('alad-gan');
    expect(model.spec.weights.some((w) => w.name.startsWith('dxx'))).to.equal(true);
  });
});
