import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { type RunningCoordinator, startCoordinator } from '../../cli/roles/coordinator.js';
import { scoreLabelledFlows, summariseDetection } from '../../client/detect/evaluate-model.js';
import { loadedModel } from '../../client/detect/loaded-model.js';
import { writeSyntheticConnLog } from '../../shared/flows/synth/index.js';
import { initBackend } from '../../shared/runtime/backend.js';
import { federationFixture, siteAgents } from '../helpers/federation-fixture.js';

const quiet = () => {};

describe('a federation of the sequence model (model.kind gru) over gRPC on loopback', function () {
  this.timeout(300_000);
  let dir: string;
  let coordinator: RunningCoordinator | null = null;

  before(async () => {
    await initBackend();
    dir = mkdtempSync(join(tmpdir(), 'fedflow-gru-fed-'));
  });
  after(async () => {
    await coordinator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("trains a global gru from the coordinator's setting, calibrates it, and the released model scores attacks above normal flows", async () => {
    const fixture = await federationFixture(dir, ['web', 'mail-dns'], 4000);
    coordinator = await startCoordinator(
      fixture.config({
        'model.kind': 'gru',
        'model.sequence.state': 32,
        'federation.rounds': 3,
        'federation.epochs': 2,
      }),
      quiet,
    );
    const models = await Promise.all(siteAgents(fixture, coordinator.port));
    const final = await coordinator.done;
    expect(final.spec.kind).to.equal('gru');
    expect(final.spec.architecture.sequence?.state).to.equal(32);
    expect(final.thresholds!.source).to.equal('federated-calibration');
    for (const model of models)
      expect(Buffer.from(model!.weights.buffer).equals(Buffer.from(final.weights.buffer))).to.equal(
        true,
      );
    const rounds = coordinator.loop.rounds.map((r) => `${r.kind}:${r.outcome}`);
    expect(rounds).to.deep.equal([
      'sketch:closed',
      'train:closed',
      'train:closed',
      'train:closed',
      'calibrate:closed',
    ]);
    const test = join(dir, 'test.log');
    await writeSyntheticConnLog(test, { profile: 'web', flows: 3000, seed: 7, attackShare: 0.1 });
    const loaded = loadedModel(final);
    try {
      const scored = await scoreLabelledFlows(loaded, [test], 'zeek', {}, {});
      const evaluation = summariseDetection(scored, final.thresholds!.targets);
      expect(evaluation.flows).to.equal(3000);
      expect(evaluation.auroc).to.be.greaterThan(0.85);
    } finally {
      loaded.model.dispose();
    }
  });
});
