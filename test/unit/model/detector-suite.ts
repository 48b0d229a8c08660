/**
 * What every detector model kind must do, as one suite any kind runs (detector-models.test.ts
 * runs it for each kind in MODEL_KINDS): save and load to identical scores, the same scores
 * and weights from the same seed, no tensors left behind, per-field contributions that add up
 * to the score, and injected anomalies scored far above normal traffic once trained.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'chai';
import {
  DEFAULT_TRAINING,
  type TrainingOptions,
  trainLocal,
} from '../../../client/trainer/local-trainer.js';
import type { FlowEncoder } from '../../../shared/encoding/flow-encoder.js';
import { createDetector } from '../../../shared/model/create-detector.js';
import type { DetectorModel } from '../../../shared/model/detector-model.js';
import { loadModelDir, saveModelDir } from '../../../shared/model/model-dir.js';
import { MultiHotBuilder, multiHotTensor } from '../../../shared/model/multi-hot.js';
import { scoreTable } from '../../../shared/model/score-table.js';
import { initBackend } from '../../../shared/runtime/backend.js';
import { auroc } from '../../../shared/stats/detection-metrics.js';
import { toyRows } from '../../helpers/toy-flows.js';
import { toyEncoder, toyTable } from '../../helpers/toy-model.js';

/** A fresh, untrained model of one kind over `encoder`, its weights drawn from `seed`. */
export type MakeDetector = (encoder: FlowEncoder, seed: number) => DetectorModel;

/** How to train this variant, over the defaults (a mixture's objective, ...). */
export type TrainingTweaks = Partial<TrainingOptions>;

const bytesOf = (values: Float32Array) =>
  Buffer.from(values.buffer, values.byteOffset, values.byteLength);

export function detectorSuite(name: string, make: MakeDetector, tweaks: TrainingTweaks = {}): void {
  describe(`a ${name} as a detector model`, function () {
    this.timeout(60_000);
    let encoder: FlowEncoder;
    let dir: string;
    const batch = (rows = toyRows(64, 8)) => {
      const table = toyTable(encoder, rows);
      return new MultiHotBuilder(encoder).rows(table.codes, null, 0, table.length);
    };
    before(async () => {
      await initBackend();
      encoder = toyEncoder(toyRows(1000));
      dir = mkdtempSync(join(tmpdir(), 'fedflow-detector-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('scores identically after a save and load through a model directory', () => {
      const model = make(encoder, 4);
      const x = batch();
      const before = model.score(x);
      saveModelDir(join(dir, 'm'), {
        spec: model.spec,
        weights: model.getWeights(),
        thresholds: null,
      });
      const saved = loadModelDir(join(dir, 'm'));
      const loaded = createDetector(saved.spec, saved.weights);
      const after = loaded.score(x);
      expect(bytesOf(after.scores).equals(bytesOf(before.scores))).to.equal(true);
      expect(bytesOf(after.fieldNll).equals(bytesOf(before.fieldNll))).to.equal(true);
      model.dispose();
      loaded.dispose();
    });

    it('gives the same scores, losses and samples from the same weights and seed', () => {
      const a = make(encoder, 5);
      const b = make(encoder, 5);
      const x = batch();
      expect(bytesOf(a.score(x).scores).equals(bytesOf(b.score(x).scores))).to.equal(true);
      const settings = { klWeight: 1, temperature: 0.5, seed: 3 };
      const dense = multiHotTensor(x);
      const lossA = a.loss(dense, settings);
      const lossB = b.loss(dense, settings);
      expect(lossA.dataSync()[0]).to.equal(lossB.dataSync()[0]);
      expect(a.sample(encoder, 50, 7).codes).to.deep.equal(b.sample(encoder, 50, 7).codes);
      tf.dispose([dense, lossA, lossB]);
      a.dispose();
      b.dispose();
    });

    it('leaves no tensor behind: scoring, losses, sampling and weight round trips, then dispose', () => {
      const baseline = tf.memory().numTensors;
      const model = make(encoder, 6);
      const x = batch();
      const held = tf.memory().numTensors;
      model.score(x);
      const dense = multiHotTensor(x);
      model.loss(dense, { klWeight: 0.5, temperature: 1, seed: 1 }).dispose();
      dense.dispose();
      model.sample(encoder, 20, 1);
      model.setWeights(model.getWeights());
      expect(tf.memory().numTensors).to.equal(held);
      model.dispose();
      expect(tf.memory().numTensors).to.equal(baseline);
    });

    // The latent part is defined as what the score holds beyond the fields' parts, so their sum
    // is the score by construction; what can fail is the sign of each part: a field's part is
    // a negative log-probability, and the ELBO's remainder is a KL divergence.
    it("splits each score into non-negative parts per field and a non-negative latent part (the ELBO's KL)", () => {
      const model = make(encoder, 7);
      const x = batch();
      const { scores, fieldNll, latent } = model.score(x);
      const fields = encoder.fieldCount;
      expect(fieldNll.length).to.equal(scores.length * fields);
      for (let r = 0; r < scores.length; r++) {
        let sum = latent[r]!;
        for (let f = 0; f < fields; f++) {
          expect(fieldNll[r * fields + f]).to.be.at.least(-1e-4); // a likelihood of at most 1
          sum += fieldNll[r * fields + f]!;
        }
        expect(sum).to.be.closeTo(scores[r]!, 1e-3 * Math.max(1, scores[r]!));
        expect(latent[r], 'the ELBO latent part is a KL divergence').to.be.at.least(-1e-3);
      }
      model.dispose();
    });

    it('scores injected anomalies far above normal traffic once trained on normal flows', async () => {
      const model = make(encoder, 8);
      const options = {
        ...DEFAULT_TRAINING,
        epochs: 8,
        batchSize: 64,
        patience: 3,
        klWarmupEpochs: 2,
        ...tweaks,
      };
      await trainLocal(model, encoder, toyTable(encoder, toyRows(1200)), null, options);
      const test = toyRows(600, 20);
      const scores = scoreTable(model, encoder, toyTable(encoder, test));
      expect(
        auroc(
          scores,
          test.map((r) => r.label === 'attack'),
        ),
      ).to.be.greaterThan(0.95);
      model.dispose();
    });
  });
}
