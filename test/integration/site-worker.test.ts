import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { SiteWorker } from '../../client/agent/site-worker.js';
import { sketchFlows } from '../../client/pipeline/training-set.js';
import { DEFAULT_ENCODER_FIT, fitEncoder } from '../../shared/encoding/fit-encoder.js';
import {
  MIN_SKETCH_COUNT,
  mergeSketchPayloads,
  sketchPayload,
} from '../../shared/federation/encoder-round.js';
import type { GlobalModel } from '../../shared/federation/global-model.js';
import type { Task } from '../../shared/federation/messages.js';
import { writeSyntheticConnLog } from '../../shared/flows/synth/index.js';
import { createModel } from '../../shared/model/create-model.js';
import { initBackend } from '../../shared/runtime/backend.js';
import { TEST_TRAINING } from '../helpers/tasks.js';

/** What a site does with the tasks a coordinator sends, whatever the coordinator asks. */
describe('a site worker', function () {
  this.timeout(60_000);
  let dir: string;
  let file: string;
  const task = (patch: Partial<Task>): Task => ({
    kind: 'train',
    round: 1,
    taskId: 't',
    modelVersion: 1,
    deadlineMs: Date.now() + 60_000,
    training: TEST_TRAINING,
    minCategoryCount: 5,
    maxCategoryValues: 256,
    ...patch,
  });
  const worker = () =>
    new SiteWorker({
      selection: { files: [file], format: 'zeek', onlyLabel: null, read: {} },
      shares: { validation: 0.1, calibration: 0.1, seed: 1 },
      seed: 1,
    });

  before(async () => {
    await initBackend();
    dir = mkdtempSync(join(tmpdir(), 'fedflow-site-worker-'));
    file = join(dir, 'site.log');
    await writeSyntheticConnLog(file, { profile: 'web', flows: 1500, seed: 3 });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps values rarer than its own floor out of its sketch even when the coordinator publishes 1', async () => {
    const { sketch } = await sketchFlows({
      files: [file],
      format: 'zeek',
      onlyLabel: null,
      read: {},
    });
    const rare = sketch.fields.flatMap((f) =>
      f.kind === 'categorical' ? [...f.counts.values()].filter((n) => n < MIN_SKETCH_COUNT) : [],
    );
    expect(
      rare.length,
      'the data must hold rare values for this test to mean anything',
    ).to.be.greaterThan(0);
    const sent = await worker().run(task({ kind: 'sketch', minCategoryCount: 1 }), null);
    expect(sent.kind).to.equal('sketch');
    if (sent.kind !== 'sketch') return;
    for (const field of sent.categorical)
      for (const n of field.counts) expect(n).to.be.at.least(MIN_SKETCH_COUNT);
  });

  it('sends no more values per field than the task allows, however many its data holds', async () => {
    const sent = await worker().run(task({ kind: 'sketch', maxCategoryValues: 1 }), null);
    if (sent.kind !== 'sketch') throw new Error(`expected a sketch, got ${sent.kind}`);
    const widest = Math.max(...sent.categorical.map((f) => f.values.length));
    expect(widest).to.equal(1);
    const open = await worker().run(task({ kind: 'sketch' }), null);
    if (open.kind !== 'sketch') throw new Error(`expected a sketch, got ${open.kind}`);
    expect(
      Math.max(...open.categorical.map((f) => f.values.length)),
      'the data must hold fields of several values for this test to mean anything',
    ).to.be.greaterThan(1);
  });

  it('starts a fresh kept optimiser when the coordinator starts over with a model of another shape', async () => {
    const { sketch, schema } = await sketchFlows({
      files: [file],
      format: 'zeek',
      onlyLabel: null,
      read: {},
    });
    const merged = mergeSketchPayloads(schema.fields, [sketchPayload(sketch, 3, 'zeek-conn')], {
      minSites: 1,
      minRecords: 1,
    });
    const encoder = fitEncoder(merged, DEFAULT_ENCODER_FIT);
    const model = (hidden: number): GlobalModel => {
      const fresh = createModel(
        schema,
        encoder,
        { hidden: [hidden], latent: { kind: 'gaussian', dim: 4 } },
        1,
      );
      return { version: 1, spec: fresh.spec, weights: fresh.weights, thresholds: null };
    };
    const site = worker();
    const training = { ...TEST_TRAINING, keepOptimizerState: true, localSteps: 2, epochs: 0 };
    try {
      const first = await site.run(task({ training }), model(16));
      const second = await site.run(task({ training, round: 2 }), model(8));
      expect(first.kind).to.equal('delta');
      expect(second.kind).to.equal('delta');
      if (second.kind === 'delta') expect(second.delta.every(Number.isFinite)).to.equal(true);
    } finally {
      site.dispose();
    }
  });
});
