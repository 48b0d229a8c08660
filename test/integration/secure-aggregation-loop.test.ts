import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { SecureSessions } from '../../client/agent/secure-sessions.js';
import { SiteWorker } from '../../client/agent/site-worker.js';
import type { ClientProxy } from '../../coordinator/rounds/client-proxy.js';
import { FederationLoop } from '../../coordinator/rounds/federation-loop.js';
import type { FederationPlan } from '../../coordinator/rounds/federation-plan.js';
import { MemoryFederationStore } from '../../coordinator/store/federation-state.js';
import { fedAvg } from '../../coordinator/strategy/fedavg.js';
import type { ClientPayload, Task, TaskKind } from '../../shared/federation/messages.js';
import { writeSyntheticConnLog } from '../../shared/flows/synth/index.js';
import { initBackend } from '../../shared/runtime/backend.js';
import { taskFromWire, taskToWire } from '../../shared/wire/convert.js';
import type { TaskAssignment__Output } from '../../shared/wire/generated/fedflow/v1/TaskAssignment.js';
import { decodeClientPayload, encodeClientPayload } from '../../shared/wire/payload-codec.js';
import { StaticRegistry } from '../helpers/memory-federation.js';
import { SMALL_PLAN } from '../helpers/screened-federation.js';

const SITES = ['site-a', 'site-b', 'site-c', 'site-d', 'site-e'];
const EXAMPLES = [500, 300, 200, 400, 100];

const PLAN: FederationPlan = {
  ...SMALL_PLAN,
  rounds: 1,
  quorum: 1,
  roundTimeoutMs: 4_000,
  secureAggregation: { neighbours: 0, threshold: 0, bound: 1, stepTimeoutMs: 2_000 },
};

/** Site k's delta: the same shape for all, a different level per site (so the mean is known). */
function scriptedDelta(k: number, length: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => 0.01 * (k + 1) * Math.sin(i + 1));
}

describe('training rounds by secure aggregation', function () {
  this.timeout(120_000);
  let dir: string;
  const workers = new Map<string, SiteWorker>();

  before(async () => {
    await initBackend();
    dir = mkdtempSync(join(tmpdir(), 'fedflow-secagg-'));
    for (const [k, id] of SITES.entries()) {
      const file = join(dir, `${id}.log`);
      await writeSyntheticConnLog(file, { profile: 'web', flows: 600, seed: 20 + k });
      workers.set(
        id,
        new SiteWorker({
          id,
          selection: { files: [file], format: 'zeek', onlyLabel: null, read: {} },
          shares: { validation: 0.1, calibration: 0.1, seed: k + 1 },
          seed: k + 1,
        }),
      );
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * Sites whose sketches and histograms are real and whose training is scripted (a known
   * delta and example count), every task and payload through the wire form; a site listed in
   * `drops` stops answering from that task kind on.
   */
  function run(drops: Readonly<Record<string, TaskKind>> = {}, cheater: string | null = null) {
    let loop: FederationLoop | null = null;
    const logs: string[] = [];
    const published = new Map<number, Float32Array>();
    const proxies: ClientProxy[] = SITES.map((id, k) => {
      const sessions = new SecureSessions(id, k + 1);
      let dropped = false;
      return {
        id,
        run: async (sent: Task): Promise<ClientPayload> => {
          // A turn of the event loop, as a network would take: scripted answers are otherwise
          // all microtasks, and a round that keeps failing would never let a timer run.
          await new Promise((resolve) => setImmediate(resolve));
          let task = taskFromWire(taskToWire(sent) as TaskAssignment__Output);
          if (drops[id] === task.kind) dropped = true;
          // A modified site skips the clipping: it masks its delta as if the bound were 1e6.
          if (id === cheater && task.secagg?.step === 'input')
            task = {
              ...task,
              secagg: { ...task.secagg, encoding: { ...task.secagg.encoding, bound: 1e6 } },
            };
          if (dropped) return new Promise(() => {}); // gone: never answers
          const payload = task.secagg
            ? await sessions.answer(task, async () => ({
                modelVersion: task.modelVersion,
                delta:
                  id === cheater
                    ? new Float32Array(loop!.current!.weights.length).fill(50)
                    : scriptedDelta(k, loop!.current!.weights.length),
                examples: EXAMPLES[k]!,
                validationLoss: 10 + k,
              }))
            : await workers.get(id)!.run(task, loop!.current);
          return decodeClientPayload(encodeClientPayload(payload));
        },
      };
    });
    const store = new MemoryFederationStore();
    loop = new FederationLoop(PLAN, new StaticRegistry(proxies), fedAvg, store, {
      onLog: (line) => logs.push(line),
      onPublish: (model) => published.set(model.version, model.weights),
    });
    return { loop, logs, published };
  }

  /** The example-weighted mean of the listed sites' scripted deltas. */
  function expectedMean(sites: readonly string[], length: number): Float64Array {
    const mean = new Float64Array(length);
    const total = sites.reduce((n, id) => n + EXAMPLES[SITES.indexOf(id)]!, 0);
    for (const id of sites) {
      const k = SITES.indexOf(id);
      const d = scriptedDelta(k, length);
      for (let i = 0; i < length; i++) mean[i]! += (d[i]! * EXAMPLES[k]!) / total;
    }
    return mean;
  }

  async function trainedStep(drops: Readonly<Record<string, TaskKind>>, survivors: string[]) {
    const { loop, logs, published } = run(drops);
    const model = await loop.run();
    // Version 1 is the encoder round's initial model, version 2 the securely aggregated one.
    const before = published.get(1)!;
    const mean = expectedMean(survivors, model.weights.length);
    let worst = 0;
    for (let i = 0; i < mean.length; i++)
      worst = Math.max(worst, Math.abs(model.weights[i]! - before[i]! - mean[i]!));
    return { loop, logs, worst };
  }

  it("moves the global model by the example-weighted mean of every site's delta, within the fixed point's step", async () => {
    const { loop, worst } = await trainedStep({}, SITES);
    expect(worst).to.be.below(1e-6);
    const kinds = loop.rounds.map((r) => `${r.kind}:${r.outcome}`);
    expect(kinds).to.deep.equal([
      'sketch:closed',
      'secagg-keys:closed',
      'secagg-shares:closed',
      'secagg-train:closed',
      'secagg-unmask:closed',
      'calibrate:closed',
    ]);
    const last = loop.rounds.find((r) => r.kind === 'secagg-unmask')!;
    expect(last.strategy).to.equal('fedavg+secagg');
    // The mean loss of the round is known; no site's own examples or loss is.
    expect(last.validationLoss).to.be.closeTo(
      EXAMPLES.reduce((s, n, k) => s + n * (10 + k), 0) / EXAMPLES.reduce((a, b) => a + b),
      0.01,
    );
    expect(
      loop.rounds
        .find((r) => r.kind === 'secagg-train')!
        .results.every((r) => r.examples === undefined),
    ).to.equal(true);
  });

  it('sums the survivors exactly when two of five sites drop mid-round, one after its keys and one after its shares', async () => {
    const { worst, logs } = await trainedStep(
      { 'site-b': 'secagg-shares', 'site-d': 'secagg-train' },
      ['site-a', 'site-c', 'site-e'],
    );
    expect(worst).to.be.below(1e-6);
    expect(
      logs.some((l) =>
        /securely aggregated 3 sites' deltas .*dropped after sharing keys: site-d/.test(l),
      ),
    ).to.equal(true);
  });

  it('keeps the masked delta of a site that drops after sending it, before unmasking', async () => {
    const { worst } = await trainedStep({ 'site-c': 'secagg-unmask' }, SITES);
    expect(worst).to.be.below(1e-6);
  });

  it('publishes no aggregate beyond the published bound: a site that skipped its clipping fails the round', async () => {
    const { loop, logs } = run({}, 'site-c');
    const outcome = await Promise.race([
      loop.run().then(() => 'published'),
      new Promise((resolve) => setTimeout(() => resolve('refused'), 3_000)),
    ]);
    loop.stop();
    expect(outcome).to.equal('refused');
    const unmask = loop.rounds.find((r) => r.kind === 'secagg-unmask')!;
    expect(unmask.outcome).to.equal('failed');
    expect(unmask.reason).to.match(
      /^aggregate value 0 is [-\d.e+]+, beyond the published bound \+-1: a site sent an unclipped or inconsistent masked delta$/,
    );
    expect(logs.some((l) => /round 1 \(secagg-unmask\) failed: aggregate value/.test(l))).to.equal(
      true,
    );
    expect(loop.rounds.some((r) => r.kind === 'calibrate')).to.equal(false);
  });

  it('fails the round cleanly and runs it again from its keys when too few masked deltas arrive', async () => {
    // Three drop during training: 2 masked deltas, fewer than the 3 a round needs. The retry
    // has only 2 sites answering keys, so it keeps failing cleanly: nothing is published.
    const { loop, logs } = run({
      'site-a': 'secagg-train',
      'site-b': 'secagg-train',
      'site-c': 'secagg-train',
    });
    const outcome = await Promise.race([
      loop.run().then(() => 'finished'),
      new Promise((resolve) => setTimeout(() => resolve('still failing'), 12_000)),
    ]);
    loop.stop();
    expect(outcome).to.equal('still failing');
    expect(
      logs.some((l) => /round 1 \(secagg-train\) failed: 2 results, need 3; reopening/.test(l)),
    ).to.equal(true);
    expect(
      logs.some((l) => /round 1 \(secagg-keys\) failed: 2 results, need 3; reopening/.test(l)),
    ).to.equal(true);
    expect(loop.rounds.some((r) => r.kind === 'secagg-unmask' && r.outcome === 'closed')).to.equal(
      false,
    );
  });
});
