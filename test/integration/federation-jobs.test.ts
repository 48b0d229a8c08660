/**
 * Federation jobs on one coordinator over gRPC: the operator's signed request runs a second
 * training job after the first, in its own folder, with versions that continue the first's.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { type RunningCoordinator, startCoordinator } from '../../cli/roles/coordinator.js';
import { jobDir, jobRequestsPath, writeJobRequests } from '../../coordinator/jobs/job-requests.js';
import { privacySpent } from '../../coordinator/privacy/gaussian-accountant.js';
import { generateIdentity } from '../../shared/crypto/identity.js';
import { initBackend } from '../../shared/runtime/backend.js';
import {
  type FederationFixture,
  federationFixture,
  siteAgents,
} from '../helpers/federation-fixture.js';

const quiet = () => {};

describe('federation jobs on one coordinator over gRPC', function () {
  this.timeout(240_000);
  let dir: string;
  let fixture: FederationFixture;
  let coordinator: RunningCoordinator | null = null;

  before(async () => {
    await initBackend();
  });
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-jobs-'));
    fixture = await federationFixture(dir, ['web', 'mail-dns'], 1500);
  });
  afterEach(async () => {
    await coordinator?.stop();
    coordinator = null;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Both sites take part until the job they joined is complete; their final models. */
  const sitesJoin = (port: number) => Promise.all(siteAgents(fixture, port));

  const config = () =>
    fixture.config({ 'federation.rounds': 2, 'federation.minClients': 2, 'federation.quorum': 2 });

  it('runs a job requested before start after the first, and sites that join again get its model', async () => {
    const settings = { 'federation.rounds': 1, 'federation.epochs': 1 };
    writeJobRequests(
      jobRequestsPath(config().stateDir),
      {
        serial: 1,
        jobs: [{ id: 2, name: 'retrain', settings, requestedAt: new Date().toISOString() }],
      },
      fixture.coordinator,
    );
    coordinator = await startCoordinator(config(), quiet);
    const first = await sitesJoin(coordinator.port);
    // sketch, 2 training rounds, calibration: versions 1-3 (calibration publishes the last).
    expect(first.map((m) => m!.version)).to.deep.equal([3, 3]);
    const second = await sitesJoin(coordinator.port);
    const last = await coordinator.done;
    // Job 2 starts at version 4: no site can take one job's model for another's.
    expect(last.version).to.equal(5);
    expect(second.map((m) => m!.version)).to.deep.equal([5, 5]);
    expect(
      coordinator.jobs.summaries().map((j) => [j.id, j.name, j.phase, j.plannedRounds]),
    ).to.deep.equal([
      [1, 'as configured', 'done', 2],
      [2, 'retrain', 'done', 1],
    ]);
    const status = coordinator.status();
    expect(status.job).to.deep.equal({ id: 2, name: 'retrain' });
    expect(status.rounds.map((r) => r.kind)).to.deep.equal(['sketch', 'train', 'calibrate']);
    const job2 = jobDir(config().stateDir, 2);
    expect(existsSync(join(job2, 'models', 'v5'))).to.equal(true);
    expect(existsSync(join(config().stateDir, 'models', 'v3'))).to.equal(true);
  });

  it('follows requests signed while it runs, and ends only when stopped', async () => {
    coordinator = await startCoordinator(config(), quiet, { follow: true });
    await sitesJoin(coordinator.port);
    expect(coordinator.jobs.summaries().map((j) => j.phase)).to.deep.equal(['done']);
    let ended = false;
    void coordinator.done.then(() => (ended = true));
    writeJobRequests(
      jobRequestsPath(config().stateDir),
      {
        serial: 1,
        jobs: [
          {
            id: 2,
            name: 'fresh traffic',
            settings: { 'federation.rounds': 1 },
            requestedAt: new Date().toISOString(),
          },
        ],
      },
      fixture.coordinator,
    );
    await waitFor(() => coordinator!.jobs.summaries().length === 2);
    const models = await sitesJoin(coordinator.port);
    expect(models.map((m) => m!.version)).to.deep.equal([5, 5]);
    expect(ended).to.equal(false);
    await coordinator.stop();
    expect((await coordinator.done).version).to.equal(5);
  });

  it("counts earlier jobs' privacy spending toward a later job's budget, refusing a job it cannot pay for", async () => {
    const lines: string[] = [];
    // Sigma 2: 2 rounds spend epsilon 2.94, a third would make it 3.71, past 3.2.
    const dp = {
      'federation.rounds': 2,
      'federation.minClients': 2,
      'federation.quorum': 2,
      'privacy.noiseMultiplier': 2,
      'privacy.epsilonBudget': 3.2,
      'strategy.screening.method': 'none',
    };
    const at = new Date().toISOString();
    writeJobRequests(
      jobRequestsPath(fixture.config().stateDir),
      {
        serial: 2,
        jobs: [
          { id: 2, name: 'over budget', settings: { 'federation.rounds': 1 }, requestedAt: at },
          {
            id: 3,
            name: 'budget raised',
            settings: { 'federation.rounds': 1, 'privacy.epsilonBudget': 4 },
            requestedAt: at,
          },
        ],
      },
      fixture.coordinator,
    );
    coordinator = await startCoordinator(fixture.config(dp), (l) => lines.push(l));
    await sitesJoin(coordinator.port);
    await sitesJoin(coordinator.port);
    await coordinator.done;
    const jobs = coordinator.jobs.summaries();
    expect(jobs.map((j) => [j.id, j.phase])).to.deep.equal([
      [1, 'done'],
      [2, 'refused'],
      [3, 'done'],
    ]);
    expect(jobs[1]!.reason).to.match(
      /^job 2: privacy.epsilonBudget 3.2 cannot pay for a training round: the earlier jobs' rounds spent epsilon 2.943 over the same sites and one more round would make it 3.709/,
    );
    expect(lines).to.include(`error: job 2 (over budget) cannot run: ${jobs[1]!.reason}`);
    // Job 3's one round is the federation's third under sigma 2.
    const last = coordinator.loop.rounds.filter((r) => r.kind === 'train').at(-1)!;
    expect(last.privacy!.epsilon).to.be.closeTo(privacySpent(2, 3, 1e-5).epsilon, 1e-9);
    expect(last.privacy!.rounds).to.equal(1);
  });

  it('refuses to start on job requests not signed with its key, naming the file', async () => {
    const path = jobRequestsPath(config().stateDir);
    writeJobRequests(
      path,
      { serial: 1, jobs: [{ id: 2, name: 'x', settings: {}, requestedAt: 'now' }] },
      generateIdentity('coordinator', 'impostor'),
    );
    const error = await startCoordinator(config(), quiet).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).to.match(
      new RegExp(`job requests ${path}: signature: does not verify with the coordinator's key`),
    );
  });

  it('keeps the requests in force when the file is damaged while it runs, and says why', async () => {
    const lines: string[] = [];
    coordinator = await startCoordinator(config(), (l) => lines.push(l), { follow: true });
    const path = jobRequestsPath(config().stateDir);
    writeJobRequests(
      path,
      { serial: 1, jobs: [{ id: 2, name: 'x', settings: {}, requestedAt: 'now' }] },
      fixture.coordinator,
    );
    await waitFor(() => coordinator!.jobs.summaries().some((j) => j.id === 2));
    writeFileSync(path, '{ not json');
    await waitFor(() => lines.some((l) => l.includes('not JSON')));
    expect(lines.find((l) => l.includes('not JSON'))).to.match(
      /^warning: job requests .*: not JSON.*; the requests stay at serial 1$/,
    );
    expect(coordinator.jobs.summaries().map((j) => j.id)).to.deep.equal([1, 2]);
  });
});

async function waitFor(ready: () => boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}
