import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { type RunningCoordinator, startCoordinator } from '../../cli/roles/coordinator.js';
import { type Dashboard, startDashboard } from '../../coordinator/http/dashboard-server.js';
import { privacySpent } from '../../coordinator/privacy/gaussian-accountant.js';
import type { PrivacyPlan } from '../../coordinator/rounds/federation-plan.js';
import { checkScreening, keptDelta } from '../../shared/audit/screening-check.js';
import { verifyLog } from '../../shared/audit/verify-chain.js';
import { fingerprint } from '../../shared/crypto/identity.js';
import { initBackend } from '../../shared/runtime/backend.js';
import { federationFixture } from '../helpers/federation-fixture.js';
import { runCli } from '../helpers/run-cli.js';
import {
  OUTLIER,
  runScreenedFederation,
  SCREENED_STRATEGY,
  type ScreenedFederation,
} from '../helpers/screened-federation.js';

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

/**
 * The coordinator's ingress entries, after checking that its log verifies with every kept
 * plaintext and that each screening decision names an accepted delta with the norm it states
 * (recomputed from the kept delta).
 */
function verifiedIngress(federation: ScreenedFederation) {
  const { entries, findings } = verifyLog(
    federation.ingressPath,
    federation.coordinator.signPublicKey,
    { requirePlaintext: true },
  );
  expect(findings).to.deep.equal([]);
  const deltaOf = keptDelta(federation.ingressPath);
  expect(checkScreening(entries, federation.ingressPath, { deltaOf })).to.deep.equal([]);
  return entries;
}

/** `fedflow status` against a dashboard, as an operator runs it. */
function statusCli(dashboard: Dashboard, token: string) {
  return runCli(['status', '--coordinator', `127.0.0.1:${dashboard.port}`, '--token', token]);
}

/** The Prometheus text a dashboard serves. */
async function metricsText(dashboard: Dashboard, token: string): Promise<string> {
  const url = `http://127.0.0.1:${dashboard.port}/metrics`;
  return (await fetch(url, { headers: { Authorization: `Bearer ${token}` } })).text();
}

/**
 * The screened federation (under differential privacy when `privacy` is given) behind a
 * dashboard, for one describe block: run in its before hook, removed in its after hook.
 */
function servedFederation(token: string, privacy: PrivacyPlan | null) {
  let dir = '';
  let served: { federation: ScreenedFederation; dashboard: Dashboard } | null = null;
  before(async () => {
    await initBackend();
    dir = mkdtempSync(join(tmpdir(), 'fedflow-screened-'));
    const federation = await runScreenedFederation(dir, privacy);
    const dashboard = await startDashboard({
      host: '127.0.0.1',
      port: 0,
      token,
      status: federation.status,
      metrics: () => federation.metrics.text(),
    });
    served = { federation, dashboard };
  });
  after(async () => {
    await served?.dashboard.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return () => served!;
}

describe('a federation whose strategy clipped an update, as the operator and auditor see it', function () {
  this.timeout(120_000);
  const token = 'sesame-sesame-sesame';
  const served = servedFederation(token, null);
  let federation: ScreenedFederation;
  let dashboard: Dashboard;
  before(() => ({ federation, dashboard } = served()));

  it('counts each site’s training rounds and its flows once, not once a round', () => {
    const { rounds, sites } = federation.status();
    expect(rounds.map((r) => r.kind)).to.include.members(['sketch', 'train', 'calibrate']);
    for (const site of sites) {
      expect(site.trainingRoundsJoined, site.name).to.equal(2);
      expect(site.flows, site.name).to.equal(500); // each delta says 500 examples
    }
  });

  it("reports each training round's per-site norm, cosine, action and reason in the status", () => {
    const train = federation.status().rounds.filter((r) => r.kind === 'train');
    expect(train).to.have.length(2);
    for (const round of train) {
      expect(round.strategy).to.equal(SCREENED_STRATEGY);
      expect(round.updates.map((u) => [u.site, u.action])).to.have.deep.members([
        ['site-a', 'kept'],
        ['site-b', 'kept'],
        [OUTLIER, 'clipped'],
      ]);
      const honest = round.updates.find((u) => u.site === 'site-a')!;
      const outlier = round.updates.find((u) => u.site === OUTLIER)!;
      expect(outlier.norm / honest.norm).to.be.within(80, 120);
      expect(outlier.reason).to.match(/^norm [\d.]+ clipped to [\d.]+ \(1\.5x the round's median/);
      expect(honest.reason).to.equal(null);
      // Every delta shares one direction: positive cosines, the unclipped ones closest.
      expect(round.updates.every((u) => u.cosine > 0.3 && u.cosine <= 1)).to.equal(true);
      expect(round.updates.reduce((sum, u) => sum + u.weight, 0)).to.be.closeTo(1, 1e-9);
    }
  });

  it('prints the last training round as a table with the reason of the clipped update', async () => {
    const r = await statusCli(dashboard, token);

    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/updates in training round 2 \(strategy fedavg\+norm-bound\):/);
    expect(r.stdout).to.match(/site\s+norm\s+cosine\s+weight\s+action\s+reason/);
    expect(r.stdout).to.match(/site-a\s+[\d.]+\s+[\d.]+\s+0\.3333\s+kept\n/);
    expect(r.stdout).to.match(
      /site-c\s+[\d.]+\s+[\d.]+\s+0\.3333\s+clipped\s+norm [\d.]+ clipped to/,
    );
  });

  it('exports the last round per site and counts screened updates by action in Prometheus', async () => {
    const text = await metricsText(dashboard, token);
    const value = (pattern: RegExp) => Number(text.match(pattern)?.[1]);

    const honest = value(/^fedflow_update_norm\{site="site-a"\} (\S+)$/m);
    expect(value(/^fedflow_update_norm\{site="site-c"\} (\S+)$/m) / honest).to.be.within(80, 120);
    expect(value(/^fedflow_update_cosine\{site="site-b"\} (\S+)$/m)).to.be.within(0.3, 1);
    expect(text).to.match(/^fedflow_updates_screened_total\{site="site-c",action="clipped"\} 2$/m);
    expect(text).to.match(/^fedflow_updates_screened_total\{site="site-a",action="kept"\} 2$/m);
    expect(text).not.to.match(/fedflow_updates_screened_total\{site="site-c",action="kept"\}/);
  });

  it('leaves one verified screening entry per site and round in the ingress log', async () => {
    const entries = verifiedIngress(federation);
    const screened = entries.filter((e) => e.type === 'screening');
    expect(screened).to.have.length(6);
    const outlier = fingerprint(federation.sites[2]!.signPublicKey);
    expect(
      screened.filter((e) => e.screening?.action === 'clipped').map((e) => [e.round, e.peer]),
    ).to.deep.equal([
      [1, outlier],
      [2, outlier],
    ]);

    const shown = await runCli(['audit', 'show', federation.ingressPath]);
    expect(shown.code, shown.stderr).to.equal(0);
    expect(shown.stdout).to.match(/screening of deltas/);
    expect(shown.stdout).to.match(
      new RegExp(
        `\\n\\s*2\\s+${outlier}\\s+clipped\\s+[\\d.]+\\s+[\\d.]+\\s+0\\.3333\\s+fedavg\\+norm-bound\\s+norm `,
      ),
    );
  });
});

describe('a federation under differential privacy, as the operator and auditor see it', function () {
  this.timeout(120_000);
  const privacy = { noiseMultiplier: 2, clipNorm: 0.05, delta: 1e-5, epsilonBudget: 0 };
  const token = 'sesame-sesame-sesame';
  const served = servedFederation(token, privacy);
  let federation: ScreenedFederation;
  let dashboard: Dashboard;
  before(() => ({ federation, dashboard } = served()));

  const spent = (rounds: number) => privacySpent(privacy.noiseMultiplier, rounds, privacy.delta);

  it('reports the epsilon spent per round and in total, with the settings behind it', () => {
    const status = federation.status();
    expect(status.privacy).to.deep.equal({
      ...privacy,
      epsilon: spent(2).epsilon,
      rdpEpsilon: spent(2).rdpEpsilon,
      rounds: 2,
    });
    const train = status.rounds.filter((r) => r.kind === 'train');
    expect(train.map((r) => r.privacy?.epsilon)).to.deep.equal([
      spent(1).epsilon,
      spent(2).epsilon,
    ]);
    expect(train.map((r) => r.strategy)).to.deep.equal(['fedavg+dp', 'fedavg+dp']);
  });

  it('prints the epsilon spent in fedflow status and exports it to Prometheus', async () => {
    const r = await statusCli(dashboard, token);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include(
      `privacy: epsilon ${spent(2).epsilon.toFixed(3)} (no budget) at delta 0.00001 after 2 rounds (noise multiplier 2, clip norm 0.05;`,
    );
    const text = await metricsText(dashboard, token);
    expect(Number(text.match(/^fedflow_privacy_epsilon (\S+)$/m)?.[1])).to.be.closeTo(
      spent(2).epsilon,
      1e-9,
    );
    expect(text).to.match(/^fedflow_privacy_delta 0\.00001$/m);
  });

  it('states the epsilon spent in every screening entry, which the audit verifies', () => {
    const entries = verifiedIngress(federation);
    const screened = entries.filter((e) => e.type === 'screening');
    expect(screened.map((e) => [e.round, e.screening?.epsilon, e.screening?.delta])).to.deep.equal(
      [1, 1, 1, 2, 2, 2].map((round) => [round, String(spent(round).epsilon), '0.00001']),
    );
    // Every delta is far longer than the clip norm: all clipped, weighed alike.
    expect(screened.every((e) => e.screening?.action === 'clipped')).to.equal(true);
    expect(screened.every((e) => e.screening?.weight === String(1 / 3))).to.equal(true);
  });
});
