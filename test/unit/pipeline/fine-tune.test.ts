import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'chai';
import { type ModelInit, modelInitFromDir } from '../../../client/pipeline/model-init.js';
import {
  type SiteTrainingResult,
  trainSiteModel,
} from '../../../client/pipeline/train-site-model.js';
import { loadModelDir, weightsSha256 } from '../../../shared/model/model-dir.js';
import {
  type GlobalModelFixture,
  globalModelFixture,
  maxDifference,
  smallConfig,
} from './global-model-fixture.js';

describe('training a site model from a given model (fine-tuning, fixed encoder)', function () {
  this.timeout(120_000);
  let fixture: GlobalModelFixture;
  const file = (name: string) => fixture.file(name);
  const fineTune = (out: string, init: ModelInit, training: Record<string, unknown> = {}) =>
    trainSiteModel(
      fixture.site,
      smallConfig({ epochs: 1, ...training }),
      file(out),
      fixture.backend,
      {},
      init,
    );

  before(async () => {
    fixture = await globalModelFixture();
  });
  after(() => fixture.remove());

  it('keeps the given spec, encoder included, byte for byte, and changes the weights', async () => {
    await fineTune('tuned', modelInitFromDir(file('global')));
    const tuned = loadModelDir(file('tuned'));
    expect(JSON.stringify(tuned.spec)).to.equal(JSON.stringify(fixture.global.spec));
    expect(tuned.weights).to.have.length(fixture.global.weights.length);
    expect(maxDifference(tuned.weights, fixture.global.weights)).to.be.greaterThan(0);
  });

  it('starts from the given weights: with a negligible learning rate they barely move', async () => {
    await fineTune('still', modelInitFromDir(file('global')), { learningRate: 1e-9 });
    const still = loadModelDir(file('still'));
    expect(maxDifference(still.weights, fixture.global.weights)).to.be.lessThan(1e-6);
  });

  it("re-places the thresholds on the site's own calibration split", async () => {
    const result = await fineTune('calibrated', modelInitFromDir(file('global')));
    const tuned = loadModelDir(file('calibrated'));
    expect(tuned.thresholds!.source).to.equal('local-calibration');
    expect(tuned.thresholds!.calibrationFlows).to.equal(result.data.calibrationRows);
    expect(result.data.calibrationRows).to.equal(Math.floor(result.data.summary.rowsUsed * 0.1));
    expect(tuned.thresholds!.targets.map((t) => t.threshold)).to.not.deep.equal(
      fixture.global.thresholds!.targets.map((t) => t.threshold),
    );
  });

  it('records where it came from: version, weights digest, directory, epochs and rows', async () => {
    const result = await fineTune('recorded', modelInitFromDir(file('global')), { epochs: 2 });
    const { metadata } = loadModelDir(file('recorded'));
    const integrity = JSON.parse(readFileSync(file('global/integrity.json'), 'utf8'));
    const origin = {
      version: 7,
      sha256: weightsSha256(fixture.global.weights),
      dir: file('global'),
      weights: 'given',
      epochs: result.training.history.length,
      rows: result.data.trainRows,
    };
    expect(metadata!.origin).to.deep.equal(origin);
    expect(result.origin).to.deep.equal(origin);
    expect(origin.sha256).to.equal(integrity.files['weights.bin']);
    expect(result.training.history).to.have.length(2);
  });

  it('continues without KL warm-up, tracking the validation split for early stopping', async () => {
    const result = await fineTune('continued', modelInitFromDir(file('global')), { epochs: 3 });
    const { metadata } = loadModelDir(file('continued'));
    const training = metadata!.training as { klWarmupEpochs: number; bestEpoch: number };
    expect(training.klWarmupEpochs).to.equal(0);
    expect(result.training.history.every((r) => r.klWeight === 1)).to.equal(true);
    expect(result.training.history.every((r) => r.validationLoss !== null)).to.equal(true);
    expect(training.bestEpoch).to.equal(result.training.bestEpoch);
  });

  it('trains from fresh seeded weights under the given encoder when no weights are given', async () => {
    const init: ModelInit = { spec: fixture.global.spec, weights: null, source: { version: 7 } };
    const first: SiteTrainingResult = await fineTune('fresh-a', init);
    await fineTune('fresh-b', init);
    const a = loadModelDir(file('fresh-a'));
    expect(JSON.stringify(a.spec)).to.equal(JSON.stringify(fixture.global.spec));
    expect(a.weights).to.deep.equal(loadModelDir(file('fresh-b')).weights);
    expect(maxDifference(a.weights, fixture.global.weights)).to.be.greaterThan(0.01);
    expect(first.origin).to.include({ version: 7, sha256: null, dir: null, weights: 'fresh' });
    expect((a.metadata!.training as { klWarmupEpochs: number }).klWarmupEpochs).to.equal(5);
  });

  it("fails before training, naming the first field where the data differs from the model's", async () => {
    const fields = fixture.global.spec.schema.fields.map((f, i) =>
      i === 2 ? { ...f, name: 'renamed_field' } : f,
    );
    const spec = { ...fixture.global.spec, schema: { ...fixture.global.spec.schema, fields } };
    const failure = await fineTune('mismatch', { spec, weights: fixture.global.weights }).then(
      () => null,
      (error: Error) => error,
    );
    expect(failure?.message).to.match(/site\.log .*does not match the model's schema/);
    expect(failure?.message).to.match(/field 3: the model has 'renamed_field \(/);
  });

  it('leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    await fineTune('no-leak', modelInitFromDir(file('global')));
    expect(tf.memory().numTensors).to.equal(before);
  });
});
