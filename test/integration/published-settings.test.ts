import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { SiteWorker } from '../../client/agent/site-worker.js';
import { type TrainingOptions, trainLocal } from '../../client/trainer/local-trainer.js';
import { FederationLoop } from '../../coordinator/rounds/federation-loop.js';
import { planFromConfig, strategyFromConfig } from '../../coordinator/rounds/plan-from-config.js';
import { MemoryFederationStore } from '../../coordinator/store/federation-state.js';
import { fedAvg } from '../../coordinator/strategy/fedavg.js';
import { loadCoordinatorConfig } from '../../shared/config/federation-config.js';
import type {
  EncoderSketchPayload,
  ModelDeltaPayload,
  Task,
} from '../../shared/federation/messages.js';
import { writeSyntheticConnLog } from '../../shared/flows/synth/index.js';
import { initBackend } from '../../shared/runtime/backend.js';
import { taskFromWire, taskToWire } from '../../shared/wire/convert.js';
import type { TaskAssignment__Output } from '../../shared/wire/generated/fedflow/v1/TaskAssignment.js';
import { decodeClientPayload, encodeClientPayload } from '../../shared/wire/payload-codec.js';
import { StaticRegistry } from '../helpers/memory-federation.js';

/**
 * The coordinator's config is the only source of how sites train in a federation: each
 * setting goes config -> plan -> task -> wire -> site -> trainer unchanged.
 */
describe('training settings the coordinator publishes', function () {
  this.timeout(120_000);
  let dir: string;
  const seen: { site: string; options: TrainingOptions; rows: number }[] = [];
  const sketches: EncoderSketchPayload[] = [];
  const deltas: ModelDeltaPayload[] = [];

  before(async () => {
    await initBackend();
    dir = mkdtempSync(join(tmpdir(), 'fedflow-settings-'));
    const files = ['web', 'internal'] as const;
    for (const profile of files)
      await writeSyntheticConnLog(join(dir, `${profile}.log`), { profile, flows: 1500, seed: 3 });
    const config = loadCoordinatorConfig(undefined, {
      'federation.rounds': 2,
      'federation.replayShare': 0.5,
      'federation.minClients': 2,
      'federation.minRecords': 1,
      'federation.localSteps': 3,
      'federation.batchSize': 64,
      'federation.learningRate': 0.0123,
      'federation.keepOptimizerState': true,
      'federation.updateBits': 4,
      'federation.siteMinCategoryCount': 40,
      'encoder.maxVocabulary': 3,
      'model.hidden': 16,
      'model.components': 4,
      'model.mixtureObjective': 'gumbel-softmax',
    });
    const plan = await planFromConfig(config, 0.07);
    const proxies = files.map((profile, i) => {
      const worker = new SiteWorker({
        selection: {
          files: [join(dir, `${profile}.log`)],
          format: 'zeek',
          onlyLabel: null,
          read: {},
        },
        shares: { validation: 0.1, calibration: 0.1, seed: i + 1 },
        seed: i + 1,
        trainer: (model, encoder, train, validation, options, hooks) => {
          seen.push({ site: profile, options, rows: train.length });
          return trainLocal(model, encoder, train, validation, options, hooks);
        },
      });
      return {
        id: profile,
        run: async (task: Task) => {
          // Through the wire form, as a remote site receives it.
          const payload = await worker.run(
            taskFromWire(taskToWire(task) as TaskAssignment__Output),
            loop.current,
          );
          if (payload.kind === 'sketch') sketches.push(payload);
          // And back through the wire, as the coordinator receives it.
          if (payload.kind === 'delta') {
            const received = decodeClientPayload(encodeClientPayload(payload));
            deltas.push(received as ModelDeltaPayload);
            return received;
          }
          return payload;
        },
      };
    });
    const loop: FederationLoop = new FederationLoop(
      plan,
      new StaticRegistry(proxies),
      fedAvg,
      new MemoryFederationStore(),
    );
    await loop.run();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reach every site: steps, batch size, learning rate, proximal term and optimiser state', () => {
    expect(seen.map((s) => s.site).sort()).to.deep.equal(['internal', 'internal', 'web', 'web']);
    for (const { options } of seen) {
      expect(options.maxSteps).to.equal(3);
      expect(options.batchSize).to.equal(64);
      expect(options.learningRate).to.equal(0.0123);
      expect(options.proximal?.mu).to.equal(0.07);
      expect(options.optimizer).to.not.equal(undefined);
    }
  });

  it('add flows sampled from the global model as the published replay share, from round 2 on', () => {
    for (const site of ['web', 'internal']) {
      const [first, second] = seen.filter((s) => s.site === site);
      // The 1,500 flows less the validation and calibration tenths; then as many replayed.
      expect(first!.rows).to.equal(1200);
      expect(second!.rows).to.equal(2400);
    }
  });

  it('send deltas of the published width: 4-bit codes, and the values they decode to', () => {
    expect(deltas).to.have.length(4);
    for (const delta of deltas) {
      expect(delta.quantized?.bits).to.equal(4);
      expect(delta.quantized?.length).to.equal(delta.delta.length);
      expect(delta.delta.some((v) => v !== 0)).to.equal(true);
    }
  });

  it("train the mixture with the coordinator's objective, not the site's default", () => {
    for (const { options } of seen) expect(options.mixtureObjective).to.equal('gumbel-softmax');
  });

  it("keep categorical values rarer than the published minimum out of every site's sketch", () => {
    expect(sketches).to.have.length(2);
    for (const sketch of sketches)
      for (const field of sketch.categorical)
        for (const n of field.counts) expect(n).to.be.at.least(40);
  });

  it("send no more values per field than 4 times the coordinator's encoder vocabulary", () => {
    const widths = sketches.flatMap((sketch) => sketch.categorical.map((f) => f.values.length));
    expect(Math.max(...widths)).to.equal(12);
  });

  it('refuse at start a privacy budget the first round already spends, and privacy beside a screening', async () => {
    const config = loadCoordinatorConfig(undefined, {
      'privacy.noiseMultiplier': 0.5,
      'privacy.epsilonBudget': 1,
      'strategy.screening.method': 'none',
    });
    const error = await planFromConfig(config, 0).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).to.match(
      /^privacy.epsilonBudget 1 is spent by the first training round \(epsilon [\d.]+ at privacy.noiseMultiplier 0.5, delta 0.00001\): raise the noise or the budget$/,
    );
    const robust = loadCoordinatorConfig(undefined, { 'privacy.noiseMultiplier': 1 });
    expect(() => strategyFromConfig(robust)).to.throw(
      "strategy.screening.method must be 'none', got 'robust'",
    );
    const unlimited = { ...config, privacy: { ...config.privacy, epsilonBudget: 0 } };
    const plan = await planFromConfig(unlimited, 0);
    expect(plan.privacy).to.deep.equal({
      noiseMultiplier: 0.5,
      clipNorm: 10,
      delta: 1e-5,
      epsilonBudget: 0,
    });
  });

  it('refuse at start an encoder vocabulary larger than a sketch may carry', async () => {
    const config = loadCoordinatorConfig(undefined, { 'encoder.maxVocabulary': 2000 });
    const error = await planFromConfig(config, 0).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).to.equal(
      'encoder.maxVocabulary is 2000; a site sketch carries at most 1024 values per field',
    );
  });
});
