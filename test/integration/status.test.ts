import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { type RunningCoordinator, startCoordinator } from '../../coordinator/coordinator-server.js';
import { initBackend } from '../../shared/runtime/backend.js';
import { federationFixture } from '../helpers/federation-fixture.js';
import { runCli } from '../helpers/run-cli.js';

describe('fedflow status', function () {
  this.timeout(120_000);
  let dir: string;
  let coordinator: RunningCoordinator;
  before(async () => {
    await initBackend();
    dir = mkdtempSync(join(tmpdir(), 'fedflow-status-'));
    const fixture = await federationFixture(dir, ['web', 'internal'], 500);
    coordinator = await startCoordinator(
      fixture.config({
        'dashboard.enabled': true,
        'dashboard.port': 0,
        'dashboard.token': 'sesame-sesame-sesame',
      }),
      () => {},
    );
  });
  after(async () => {
    await coordinator.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints the coordinator's sites, phase and audit counts from its dashboard endpoint", async () => {
    const r = await runCli([
      'status',
      '--coordinator',
      `127.0.0.1:${coordinator.dashboardPort}`,
      '--token',
      'sesame-sesame-sesame',
    ]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/phase encoder/);
    expect(r.stdout).to.match(/site-1\s+\S+\s+no/);
    expect(r.stdout).to.match(/site-2/);
    expect(r.stdout).to.match(/0 ingress entries/);
  });

  it('says clearly when the token is refused', async () => {
    const r = await runCli([
      'status',
      '--coordinator',
      `127.0.0.1:${coordinator.dashboardPort}`,
      '--token',
      'wrong',
    ]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/refused the token \(401\)/);
  });

  it('refuses to start a dashboard without a token', async () => {
    const fixture = await federationFixture(join(dir, 'other'), ['web'], 200);
    const error = await startCoordinator(
      fixture.config({ 'dashboard.enabled': true, 'dashboard.token': '' }),
      () => {},
    ).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).to.match(/dashboard\.token/);
  });
});
