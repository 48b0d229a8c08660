import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { type SiteSettings, SiteWorker } from '../../client/agent/site-worker.js';
import { scoreLabelledFlows, summariseDetection } from '../../client/detect/evaluate-model.js';
import { privacySpent } from '../../coordinator/privacy/gaussian-accountant.js';
import { FederationLoop, type LoopEvents } from '../../coordinator/rounds/federation-loop.js';
import type { FederationPlan } from '../../coordinator/rounds/federation-plan.js';
import { MemoryFederationStore } from '../../coordinator/store/federation-state.js';
import { fedAvg } from '../../coordinator/strategy/fedavg.js';
import { gaussianFrom } from '../../coordinator/strategy/gaussian-noise.js';
import type { AggregationStrategy } from '../../coordinator/strategy/strategy.js';
import { createStrategy } from '../../coordinator/strategy/strategy-factory.js';
import { DEFAULT_STRATEGY } from '../../coordinator/strategy/strategy-settings.js';
import { seededUniform } from '../../shared/codec/stochastic-rounding.js';
import { FlowEncoder } from '../../shared/encoding/flow-encoder.js';
import type { EncoderSketchPayload } from '../../shared/federation/messages.js';
import { zeekSchema } from '../../shared/flows/format-schema.js';
import { type OrganisationProfile, writeSyntheticConnLog } from '../../shared/flows/synth/index.js';
import { CategoricalVae } from '../../shared/model/vae.js';
import { initBackend } from '../../shared/runtime/backend.js';
import { StaticRegistry, scriptedProxy, siteProxy } from '../helpers/memory-federation.js';
import { TEST_TRAINING } from '../helpers/tasks.js';

const PLAN: FederationPlan = {
  schema: zeekSchema(),
  rounds: 3,
  training: { ...TEST_TRAINING, epochs: 2 },
  minClients: 2,
  quorum: 1,
  roundTimeoutMs: 120_000,
  waitForClientsMs: 5_000,
  kAnonymity: { minSites: 1, minRecords: 5 },
  siteMinCategoryCount: 3,
  maxSiteRows: 1_000_000,
  encoderFit: { minCategoryCount: 3, maxVocabulary: 256, numericBins: 8 },
  architecture: {
    hidden: [64],
    latent: { kind: 'mixture', components: 16, temperature: { start: 1, end: 0.3 } },
  },
  seed: 1,
  targetFprs: [0.01, 0.001],
};

describe('federation round loop with in-memory sites', function () {
  this.timeout(300_000);
  let dir: string;
  const sites: { id: string; worker: SiteWorker }[] = [];

  before(async () => {
    await initBackend();
    dir = mkdtempSync(join(tmpdir(), 'fedflow-loop-'));
    const profiles: OrganisationProfile[] = ['web', 'mail-dns', 'internal'];
    for (const [i, profile] of profiles.entries()) {
      const file = join(dir, `${profile}.log`);
      await writeSyntheticConnLog(file, { profile, flows: 6000, seed: 10 + i });
      const settings: SiteSettings = {
        selection: { files: [file], format: 'zeek', onlyLabel: null, read: {} },
        shares: { validation: 0.1, calibration: 0.1, seed: i + 1 },
        seed: 1,
      };
      sites.push({ id: `site-${profile}`, worker: new SiteWorker(settings) });
    }
    await writeSyntheticConnLog(join(dir, 'test.log'), {
      profile: 'web',
      flows: 4000,
      seed: 99,
      attackShare: 0.1,
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function loopWith(
    proxies: (loop: () => FederationLoop) => ReturnType<typeof scriptedProxy>[],
    plan = PLAN,
    store = new MemoryFederationStore(),
    strategy: AggregationStrategy = fedAvg,
    events: LoopEvents = {},
  ) {
    let loop: FederationLoop | null = null;
    const registry = new StaticRegistry(proxies(() => loop!));
    loop = new FederationLoop(plan, registry, strategy, store, events);
    return loop;
  }

  it('trains one model across sites that detects attacks at a site and publishes shared thresholds', async () => {
    const loop = loopWith((l) => sites.map((s) => siteProxy(s.id, s.worker, () => l().current)));
    const model = await loop.run();
    expect(loop.rounds.map((r) => r.kind)).to.deep.equal([
      'sketch',
      'train',
      'train',
      'train',
      'calibrate',
    ]);
    expect(loop.rounds.every((r) => r.outcome === 'closed' && r.results.length === 3)).to.equal(
      true,
    );
    expect(model.version).to.equal(4);
    expect(model.thresholds!.source).to.equal('federated-calibration');
    expect(model.thresholds!.calibrationFlows).to.equal(3 * 600);
    // Validation loss falls as rounds go on.
    const losses = loop.rounds.filter((r) => r.kind === 'train').map((r) => r.validationLoss!);
    expect(losses[2]).to.be.lessThan(losses[0]!);
    const loaded = {
      saved: { spec: model.spec, weights: model.weights, thresholds: model.thresholds },
      model: new CategoricalVae(model.spec, model.weights),
      encoder: new FlowEncoder(model.spec.encoder),
    };
    const scored = await scoreLabelledFlows(loaded, [join(dir, 'test.log')], 'zeek', {}, {});
    const evaluation = summariseDetection(scored, model.thresholds!.targets);
    loaded.model.dispose();
    expect(evaluation.auroc).to.be.greaterThan(0.9);
  });

  it('rejects wrong shapes, NaN and stale versions, logs why, and proceeds with the rest', async () => {
    const honest = sites.slice(0, 2);
    const loop = loopWith(
      (l) => [
        ...honest.map((s) => siteProxy(s.id, s.worker, () => l().current)),
        scriptedProxy('bad-shape', async (task) =>
          task.kind === 'train'
            ? {
                kind: 'delta',
                modelVersion: task.modelVersion,
                delta: new Float32Array(3),
                examples: 10,
                validationLoss: 1,
              }
            : sites[2]!.worker.run(task, l().current),
        ),
      ],
      { ...PLAN, rounds: 1, quorum: 3 },
    );
    await loop.run();
    const train = loop.rounds.find((r) => r.kind === 'train')!;
    expect(train.outcome).to.equal('closed');
    expect(train.results.map((r) => r.clientId).sort()).to.deep.equal(
      honest.map((s) => s.id).sort(),
    );
    expect(train.failures).to.have.length(1);
    expect(train.failures[0]!.reason).to.match(/^rejected: delta has 3 values, the model has \d+/);

    const nan = loopWith(
      (l) => [
        ...honest.map((s) => siteProxy(s.id, s.worker, () => l().current)),
        scriptedProxy('nan', async (task) => {
          const model = l().current;
          if (task.kind !== 'train') return sites[2]!.worker.run(task, model);
          const delta = new Float32Array(model!.weights.length);
          delta[5] = Number.NaN;
          return {
            kind: 'delta',
            modelVersion: task.modelVersion,
            delta,
            examples: 10,
            validationLoss: 1,
          };
        }),
        scriptedProxy('stale', async (task) => {
          if (task.kind !== 'train') return sites[2]!.worker.run(task, l().current);
          return {
            kind: 'delta',
            modelVersion: task.modelVersion - 1,
            delta: new Float32Array(l().current!.weights.length),
            examples: 10,
            validationLoss: 1,
          };
        }),
      ],
      { ...PLAN, rounds: 1, quorum: 4 },
    );
    await nan.run();
    const reasons = nan.rounds
      .find((r) => r.kind === 'train')!
      .failures.map((f) => `${f.clientId}: ${f.reason}`)
      .sort();
    expect(reasons[0]).to.match(/^nan: rejected: delta value 5 is NaN/);
    expect(reasons[1]).to.match(
      /^stale: rejected: payload is for model version \d+, the round is on version \d+/,
    );
  });

  it('fails a training round whose aggregate overflows, keeps the published model, and runs the round again', async () => {
    let calls = 0;
    const overflowingOnce: AggregationStrategy = {
      ...fedAvg,
      aggregate(global, results, state) {
        const aggregation = fedAvg.aggregate(global, results, state);
        if (calls++ > 0) return aggregation;
        return { ...aggregation, weights: Float32Array.from(global, () => Infinity) };
      },
    };
    const logs: string[] = [];
    const store = new MemoryFederationStore();
    const loop = loopWith(
      (l) => sites.map((s) => siteProxy(s.id, s.worker, () => l().current)),
      { ...PLAN, rounds: 1 },
      store,
      overflowingOnce,
      { onLog: (line) => logs.push(line) },
    );
    const model = await loop.run();
    const train = loop.rounds.filter((r) => r.kind === 'train');
    expect(train.map((r) => r.outcome)).to.deep.equal(['failed', 'closed']);
    expect(train[0]!.reason).to.equal('aggregation not published: aggregated weight 0 is Infinity');
    expect(train[0]!.results).to.have.length(3);
    expect(train[1]!.taskId).to.not.equal(train[0]!.taskId);
    expect(
      logs.some((l) => /round 1 \(train\) failed: aggregation not published/.test(l)),
    ).to.equal(true);
    expect(model.version).to.equal(2);
    expect(model.weights.every(Number.isFinite)).to.equal(true);
    expect(store.load()!.rounds.at(-1)!.outcome).to.equal('closed');
  });

  it('refuses a sketch carrying raw records as values, one declaring 1e12 rows, and one with more values than published, and goes on with the honest sites', async () => {
    const record = '0,tcp,http,SF,181,5450,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,8,8,0.00,normal';
    const modified = (id: string, change: (sketch: EncoderSketchPayload) => EncoderSketchPayload) =>
      scriptedProxy(id, async (task) => {
        const honest = await sites[2]!.worker.run(task, null);
        return honest.kind === 'sketch' ? change(honest) : honest;
      });
    const loop = loopWith(
      (l) => [
        ...sites.slice(0, 2).map((s) => siteProxy(s.id, s.worker, () => l().current)),
        modified('smuggler', (s) => ({
          ...s,
          categorical: s.categorical.map((c) =>
            c.field === 'proto'
              ? { ...c, values: [...c.values, record], counts: [...c.counts, 5] }
              : c,
          ),
        })),
        modified('inflater', (s) => ({ ...s, rows: 1e12 })),
        // Well-formed values, each seen often enough, but more than the published limit.
        modified('widener', (s) => {
          const many = Array.from({ length: 300 }, (_, i) => `svc${i}`).sort();
          return {
            ...s,
            categorical: s.categorical.map((c) =>
              c.field === 'service' ? { ...c, values: many, counts: many.map(() => 3) } : c,
            ),
          };
        }),
      ],
      // A vocabulary of 50: sites may send 4 times as many values a field, 200.
      { ...PLAN, rounds: 1, quorum: 5, encoderFit: { ...PLAN.encoderFit, maxVocabulary: 50 } },
    );
    const run = loop.run();
    while (!loop.rounds.some((r) => r.kind === 'sketch'))
      await new Promise((r) => setTimeout(r, 50));
    loop.stop();
    await run.catch(() => {});
    const sketch = loop.rounds.find((r) => r.kind === 'sketch')!;
    expect(sketch.outcome).to.equal('closed');
    expect(sketch.results.map((r) => r.clientId).sort()).to.deep.equal(
      sites
        .slice(0, 2)
        .map((s) => s.id)
        .sort(),
    );
    const reasons = Object.fromEntries(sketch.failures.map((f) => [f.clientId, f.reason]));
    expect(reasons.smuggler).to.match(
      /^rejected: categorical field proto value "0,tcp,http,SF,181,5450,0,0,0,0,0,1,0,0,\.\.\." \(70 characters\) is not one of tcp, udp, icmp/,
    );
    expect(reasons.inflater).to.equal(
      'rejected: declares 1000000000000 rows, more than the 1000000 a site may declare',
    );
    expect(reasons.widener).to.equal(
      'rejected: categorical field service has 300 values, at most 200 are accepted',
    );
  });

  it('gives a site that declares and claims 100 times its flows, consistently and under the ceiling, at most 5x the median site weight', async () => {
    const K = 100; // 6,000 flows become 600,000, under the plan's 1,000,000
    const inflate = (p: Awaited<ReturnType<SiteWorker['run']>>) =>
      p.kind === 'sketch'
        ? {
            ...p,
            rows: p.rows * K,
            categorical: p.categorical.map((c) => ({ ...c, counts: c.counts.map((n) => n * K) })),
            numeric: p.numeric.map((n) => ({ ...n, counts: n.counts.map((c) => c * K) })),
          }
        : p.kind === 'delta'
          ? { ...p, examples: p.examples * K }
          : p;
    const loop = loopWith(
      (l) => [
        ...sites.slice(0, 2).map((s) => siteProxy(s.id, s.worker, () => l().current)),
        scriptedProxy('inflater', async (task) =>
          inflate(await sites[2]!.worker.run(task, l().current)),
        ),
      ],
      { ...PLAN, rounds: 1, quorum: 3 },
      new MemoryFederationStore(),
      // The default cap, without screening that could set some other delta aside.
      createStrategy({
        ...DEFAULT_STRATEGY,
        screening: { ...DEFAULT_STRATEGY.screening, method: 'none' },
      }),
    );
    await loop.run();
    const train = loop.rounds.find((r) => r.kind === 'train')!;
    expect(train.outcome).to.equal('closed');
    const honest = train.results.filter((r) => r.clientId !== 'inflater');
    const median = Math.min(...honest.map((r) => r.examples!)); // the lower median of three
    const claimed = train.results.find((r) => r.clientId === 'inflater')!.examples!;
    expect(claimed, 'the claim passes the declared-rows check').to.be.greaterThan(20 * median);
    const total = honest.reduce((n, r) => n + r.examples!, 0) + 5 * median;
    const weight = train.results.find((r) => r.clientId === 'inflater')!.update!.weight;
    expect(weight).to.be.closeTo((5 * median) / total, 1e-9);
  });

  it('refuses a delta of finite 3e38 values that would overflow the sum, and goes on with the honest sites', async () => {
    const loop = loopWith(
      (l) => [
        ...sites.slice(0, 2).map((s) => siteProxy(s.id, s.worker, () => l().current)),
        scriptedProxy('overflower', async (task) => {
          const honest = await sites[2]!.worker.run(task, l().current);
          return honest.kind === 'delta'
            ? { ...honest, delta: honest.delta.map(() => 3e38) }
            : honest;
        }),
      ],
      { ...PLAN, rounds: 1, quorum: 3 },
    );
    const model = await loop.run();
    const train = loop.rounds.filter((r) => r.kind === 'train');
    expect(train.map((r) => r.outcome)).to.deep.equal(['closed']);
    expect(train[0]!.failures).to.deep.equal([
      {
        clientId: 'overflower',
        reason:
          'rejected: delta value 0 is 3.0000000054977558e+38, beyond the +-1000000 a round of training can move a weight',
      },
    ]);
    expect(model.weights.every(Number.isFinite)).to.equal(true);
  });

  it('takes 8-bit deltas when the round asks for them, and refuses a float32 delta in such a round', async () => {
    const plan = {
      ...PLAN,
      rounds: 1,
      quorum: 3,
      training: { ...PLAN.training, updateBits: 8 as const },
    };
    const loop = loopWith(
      (l) => [
        ...sites.slice(0, 2).map((s) => siteProxy(s.id, s.worker, () => l().current)),
        scriptedProxy('wide', async (task) => {
          const honest = await sites[2]!.worker.run(task, l().current);
          return honest.kind === 'delta' ? { ...honest, quantized: undefined } : honest;
        }),
      ],
      plan,
    );
    const model = await loop.run();
    const train = loop.rounds.find((r) => r.kind === 'train')!;
    expect(train.results.map((r) => r.clientId).sort()).to.deep.equal(
      sites
        .slice(0, 2)
        .map((s) => s.id)
        .sort(),
    );
    expect(train.failures).to.deep.equal([
      {
        clientId: 'wide',
        reason: 'rejected: delta sent with 32-bit values, the round asks for 8-bit',
      },
    ]);
    expect(model.weights.every(Number.isFinite)).to.equal(true);
  });

  it('under differential privacy records the epsilon each round spent and stops training before the budget is passed', async () => {
    const delta = 1e-5;
    const budget = (privacySpent(5, 2, delta).epsilon + privacySpent(5, 3, delta).epsilon) / 2;
    const privacy = { noiseMultiplier: 5, clipNorm: 20, delta, epsilonBudget: budget };
    const strategy = createStrategy(
      {
        ...DEFAULT_STRATEGY,
        screening: { ...DEFAULT_STRATEGY.screening, method: 'none' },
        privacy,
      },
      () => gaussianFrom(seededUniform(1)),
    );
    const lines: string[] = [];
    const loop = loopWith(
      (l) => sites.map((s) => siteProxy(s.id, s.worker, () => l().current)),
      { ...PLAN, rounds: 5, privacy },
      new MemoryFederationStore(),
      strategy,
      { onLog: (line) => lines.push(line) },
    );
    const model = await loop.run();
    const train = loop.rounds.filter((r) => r.kind === 'train');
    expect(train.map((r) => r.round)).to.deep.equal([1, 2]);
    expect(train.map((r) => r.strategy)).to.deep.equal(['fedavg+dp', 'fedavg+dp']);
    expect(train.map((r) => r.privacy?.epsilon)).to.deep.equal([
      privacySpent(5, 1, delta).epsilon,
      privacySpent(5, 2, delta).epsilon,
    ]);
    for (const r of train) for (const x of r.results) expect(x.update?.weight).to.equal(1 / 3);
    expect(
      lines.some((l) => /round 2: privacy spent .*past the budget .*training stops/.test(l)),
    ).to.equal(true);
    expect(loop.phase).to.equal('done');
    expect(model.thresholds).to.not.equal(null);
  });

  it('closes a round at the deadline when a client drops out, if enough others reported', async () => {
    const loop = loopWith(
      (l) => [
        ...sites.slice(0, 2).map((s) => siteProxy(s.id, s.worker, () => l().current)),
        scriptedProxy('gone', (task) =>
          task.kind === 'train' ? new Promise(() => {}) : sites[2]!.worker.run(task, l().current),
        ),
      ],
      { ...PLAN, rounds: 1, roundTimeoutMs: 8_000 },
    );
    await loop.run();
    const train = loop.rounds.find((r) => r.kind === 'train')!;
    expect(train.outcome).to.equal('closed');
    expect(train.results).to.have.length(2);
    expect(train.failures).to.deep.equal([
      { clientId: 'gone', reason: 'no result before the round closed' },
    ]);
  });

  it('resumes from persisted state after a coordinator restart, reopening the open round', async () => {
    const store = new MemoryFederationStore();
    let crash = true;
    const crashing = loopWith(
      (l) => [
        ...sites.slice(0, 2).map((s) => siteProxy(s.id, s.worker, () => l().current)),
        scriptedProxy('crasher', async (task) => {
          if (task.kind === 'train' && task.round === 2 && crash)
            throw new Error('coordinator killed');
          return sites[2]!.worker.run(task, l().current);
        }),
      ],
      { ...PLAN, rounds: 2, minClients: 3 },
      store,
    );
    // Round 2 fails (a client errors and minClients is 3): the loop reopens it, so stop it there.
    const run = crashing.run();
    while (!store.load()?.rounds.some((r) => r.round === 2))
      await new Promise((r) => setTimeout(r, 100));
    const saved = store.load()!;
    expect(saved.phase).to.equal('training');
    expect(saved.nextRound).to.equal(2);
    expect(saved.model!.version).to.equal(2);
    crash = false;
    await run; // the same loop object reopens round 2 now that the client answers
    const resumed = loopWith(
      (l) => sites.map((s) => siteProxy(s.id, s.worker, () => l().current)),
      { ...PLAN, rounds: 2, minClients: 3 },
      store,
    );
    expect(resumed.current!.version).to.equal(3);
    const model = await resumed.run();
    expect(model.version).to.equal(3);
    const round2 = store.load()!.rounds.filter((r) => r.round === 2);
    expect(round2.at(-1)!.outcome).to.equal('closed');
    expect(round2.slice(0, -1).every((r) => r.outcome === 'failed')).to.equal(true);
    // A reopened round runs under a new task id, so old submissions cannot count for it.
    expect(new Set(round2.map((r) => r.taskId)).size).to.equal(round2.length);
  });
});
