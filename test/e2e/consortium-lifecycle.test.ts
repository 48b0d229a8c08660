/**
 * A consortium run for real, from provisioning to audit, over mutual TLS: provision three
 * sites, start the coordinator and the sites from their kits, add and enrol a fourth site
 * while the coordinator runs, revoke one, run a second job on the same coordinator (two sites
 * staying up for it, one started again), and audit from the auditor's kit with no options.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { freePort } from '../helpers/free-port.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('a consortium from provisioning to audit, with a site enrolled, one revoked and a second job while it runs', function () {
  this.timeout(300_000);
  let dir: string;
  let fedflow: string;
  const running: ChildProcess[] = [];
  const run = (args: string[], cwd = dir) =>
    execFileSync(fedflow, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const start = (kit: string, args: string[] = []) => {
    const child = spawn(join(dir, 'kits', kit, 'start.sh'), args, {
      cwd: dir,
      env: { ...process.env, FEDFLOW: fedflow },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
    });
    child.stderr!.on('data', (d) => {
      out += d;
    });
    running.push(child);
    const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
    return { child, exited, output: () => out };
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-consortium-'));
    fedflow = join(dir, 'fedflow');
    const tsx = createRequire(import.meta.url).resolve('tsx');
    writeFileSync(
      fedflow,
      `#!/bin/sh\nexec "${process.execPath}" --import "${tsx}" "${join(root, 'cli', 'fedflow.ts')}" "$@"\n`,
    );
    chmodSync(fedflow, 0o755);
  });
  after(() => {
    for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('federates, drops site-c and admits site-d at runtime, runs a second job, and the auditor’s plain verdict holds', async () => {
    const port = await freePort();
    const sites = ['site-a', 'site-b', 'site-c'];
    writeFileSync(
      join(dir, 'consortium.yaml'),
      [
        'name: lifecycle test',
        'coordinator:',
        `  address: 127.0.0.1:${port}`,
        '  federation: { rounds: 14, minClients: 3, localSteps: 30 }',
        'sites:',
        ...sites.map((s) => `  - { name: ${s}, files: [conn.log] }`),
      ].join('\n'),
    );
    run(['provision', 'consortium.yaml', '--out', 'kits']);
    const synth = (site: string, seed: number) =>
      run([
        'synth',
        '--flows',
        '4000',
        '--seed',
        String(seed),
        '--out',
        join('kits', site, 'conn.log'),
      ]);
    for (const [i, site] of sites.entries()) synth(site, i + 1);

    // --stay: a coordinator that runs for months, taking jobs until it is stopped.
    const coordinator = start('coordinator', ['--stay']);
    // Sites that stay up take part job after job; site-d, added later, does not.
    const original = sites.map((site) => start(site, ['--stay', '--poll-seconds', '1']));
    // The first training round closed: the federation is under way.
    await waitFor(
      () => /"kind":"train"/.test(coordinator.output()),
      120_000,
      () => coordinator.output(),
    );

    // Revoked now, 13 rounds before the end, the site cannot finish; refused when it enrols
    // again, it stops for good, saying why.
    expect(
      run(
        ['admin', 'revoke', 'site-c', '--config', 'coordinator.json'],
        join(dir, 'kits', 'coordinator'),
      ),
    ).to.match(/revoked site-c \([0-9a-f]{16}\): allow-list serial 2, 2 sites/);
    expect(await original[2]!.exited, original[2]!.output()).to.not.equal(0);
    expect(original[2]!.output()).to.match(/not on the allow-list/);

    // minClients 3: with site-c gone the job waits for site-d, so it joins mid-job however
    // slow the machine is.
    run(['provision', 'add-site', 'site-d', '--kits', 'kits', '--files', 'conn.log']);
    synth('site-d', 4);
    const enrolled = run(
      [
        'admin',
        'enrol',
        join('..', 'site-d', 'keys', 'site-d.public.json'),
        '--config',
        'coordinator.json',
      ],
      join(dir, 'kits', 'coordinator'),
    );
    expect(enrolled).to.match(/enrolled site-d .*serial 3, 3 sites/);
    const late = start('site-d');
    await waitFor(
      () => egressTypes('site-d').includes('delta'),
      120_000,
      () => late.output() + coordinator.output(),
    );

    const atCoordinator = join(dir, 'kits', 'coordinator');
    const requestJob = (...args: string[]) =>
      run(['admin', 'job', 'start', '--config', 'coordinator.json', ...args], atCoordinator);
    expect(requestJob('--name', 'retrain', '--rounds', '2')).to.match(
      /requested job 2 \(retrain\): federation.rounds=2/,
    );
    // A site without --stay leaves when a job is complete; started again, it joins the next.
    expect(await late.exited, late.output()).to.equal(0);
    const lateAgain = start('site-d');
    await waitFor(
      () => /"event":"done","job":2/.test(coordinator.output()),
      180_000,
      () => coordinator.output(),
    );
    expect(await lateAgain.exited, lateAgain.output()).to.equal(0);
    // The staying sites saved each job's final model; idle, they take part in a job requested
    // now, and stop at a signal, as a service does.
    const saves = (site: (typeof original)[number]) =>
      (site.output().match(/final global model saved/g) ?? []).length;
    const staying = [original[0]!, original[1]!];
    for (const site of staying) await waitFor(() => saves(site) === 2, 60_000, site.output);
    requestJob('--name', 'two sites', '--rounds', '1', '--set', 'federation.minClients=2');
    for (const site of staying) {
      await waitFor(
        () => saves(site) === 3,
        120_000,
        () => site.output() + coordinator.output(),
      );
      site.child.kill('SIGTERM');
      expect(await site.exited, site.output()).to.equal(0);
    }
    const jobs = run(['admin', 'job', 'list', '--config', 'coordinator.json'], atCoordinator);
    expect(jobs).to.match(/^job 1 {2}as configured {2}done, model v\d+/m);
    expect(jobs).to.match(/^job 2 {2}retrain {2}done, model v\d+ {2}federation.rounds=2/m);
    expect(jobs).to.match(
      /^job 3 {2}two sites {2}done, model v\d+ {2}federation.rounds=1 federation.minClients=2/m,
    );
    // Job 2's models continue job 1's versions, in job 2's own folder.
    const versions = [...jobs.matchAll(/model v(\d+)/g)].map((m) => Number(m[1]));
    expect(versions[1]).to.be.greaterThan(versions[0]!);
    expect(versions[2]).to.be.greaterThan(versions[1]!);
    coordinator.child.kill('SIGTERM');
    expect(await coordinator.exited, coordinator.output()).to.equal(0);
    // The operator sees the refusal, at warning level.
    expect(coordinator.output()).to.match(
      /"level":40[^\n]*"msg":"refused an enrolment: signing key [0-9a-f]{16} is not on the allow-list/,
    );

    const ingress = readFileSync(
      join(dir, 'kits', 'coordinator', 'state', 'audit', 'ingress.jsonl'),
      'utf8',
    )
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; outcome: string; peer: string });
    const changes = ingress.filter((e) => e.type === 'allow-list').map((e) => e.outcome);
    expect(changes).to.deep.equal(['revoked', 'enrolled']);

    const auditor = join(dir, 'kits', 'auditor');
    for (const party of ['coordinator', ...sites, 'site-d'])
      cpSync(join(dir, 'kits', party, 'state'), join(auditor, party), { recursive: true });
    const verdict = run(['audit', 'verify'], auditor);
    expect(verdict).to.include('OK: no errors');
    for (const site of [...sites, 'site-d'])
      expect(verdict).to.match(
        new RegExp(`${site} \\([0-9a-f]{16}\\) sent \\d+ messages.*received every message as sent`),
      );
  });

  function egressTypes(site: string): string[] {
    try {
      return readFileSync(join(dir, 'kits', site, 'state', 'audit', 'egress.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { type: string }).type);
    } catch {
      return [];
    }
  }
});

async function waitFor(ready: () => boolean, ms: number, context: () => string): Promise<void> {
  const until = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > until) throw new Error(`timed out; output so far:\n${context().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
