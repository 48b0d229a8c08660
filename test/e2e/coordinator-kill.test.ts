import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { participate } from '../../client/agent/participation.js';
import { CoordinatorConnection } from '../../client/transport/coordinator-connection.js';
import type { RoundRecord } from '../../coordinator/store/federation-state.js';
import type { AuditEntry } from '../../shared/audit/audit-entry.js';
import { AuditLogWriter } from '../../shared/audit/audit-log-writer.js';
import { listeningPort } from '../../shared/cli/simulate/processes.js';
import { fingerprint } from '../../shared/crypto/identity.js';
import { initBackend } from '../../shared/runtime/backend.js';
import { federationFixture, publicIdentity, siteWorker } from '../helpers/federation-fixture.js';
import { runCli } from '../helpers/run-cli.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const KILLS = 6;

/** `fedflow coordinator` as its own process; resolves with it once it listens. */
function startCoordinator(configFile: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'shared', 'cli', 'fedflow.ts'),
      'coordinator',
      '--config',
      configFile,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return listeningPort(child).then((port) => ({ child, port }));
}

const entries = (file: string): AuditEntry[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as AuditEntry);

describe('a coordinator killed with SIGKILL again and again, mid-round', function () {
  this.timeout(600_000);
  let dir: string;
  before(async () => {
    await initBackend();
    dir = mkdtempSync(join(tmpdir(), 'fedflow-kill-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loses no result it accepted and receipted, finishes the federation, and its logs verify', async () => {
    const fixture = await federationFixture(dir, ['web', 'internal', 'mail-dns'], 2000);
    const configFile = join(dir, 'coordinator.json');
    const config = fixture.config({
      'federation.rounds': 3,
      'federation.localSteps': 20,
      'transport.reattachSeconds': 5,
    });
    writeFileSync(configFile, JSON.stringify(config));
    let coordinator = await startCoordinator(configFile);
    // Restarts listen on the same port, so the sites find it again by themselves.
    writeFileSync(
      configFile,
      JSON.stringify({ ...config, listen: { ...config.listen, port: coordinator.port } }),
    );
    const address = `127.0.0.1:${coordinator.port}`;
    const egress = fixture.sites.map((site) => join(dir, site.identity.name, 'egress.jsonl'));
    const sites = fixture.sites.map((site, i) =>
      participate({
        connection: new CoordinatorConnection(
          address,
          site.identity,
          publicIdentity(fixture.coordinator),
          {
            egress: AuditLogWriter.open(egress[i]!, site.identity, 'egress', {
              keepPlaintext: true,
            }),
          },
        ),
        worker: siteWorker(site.file, i + 1),
        reconnect: { initialMs: 50, maxMs: 500 },
        log: () => {},
      }),
    );
    const ingress = join(dir, 'coordinator-state', 'audit', 'ingress.jsonl');
    const accepted = () => {
      try {
        return entries(ingress).filter((e) => e.outcome === 'accepted').length;
      } catch {
        return 0;
      }
    };
    // Kill it right after every other result it accepts, while the round is still open.
    for (let kill = 0; kill < KILLS; kill++) {
      const seen = accepted();
      while (accepted() < seen + 1 + (kill % 2)) await new Promise((r) => setTimeout(r, 5));
      coordinator.child.kill('SIGKILL');
      await new Promise((r) => coordinator.child.once('exit', r));
      coordinator = await startCoordinator(configFile);
    }
    await Promise.all(sites);
    await new Promise((r) => coordinator.child.once('exit', r));

    const state = JSON.parse(
      readFileSync(join(dir, 'coordinator-state', 'state.json'), 'utf8'),
    ) as {
      phase: string;
      rounds: RoundRecord[];
    };
    expect(state.phase).to.equal('done');
    // Every receipt a site holds names a result some round record counted.
    const counted = new Set(
      state.rounds.flatMap((r) => r.results.map((x) => `${r.taskId} ${x.clientId}`)),
    );
    const lost = fixture.sites.flatMap((site, i) =>
      entries(egress[i]!)
        .filter((e) => e.type === 'receipt')
        .map((e) => `${e.taskId} ${fingerprint(site.identity.signPublicKey)}`)
        .filter((key) => !counted.has(key)),
    );
    expect(lost).to.deep.equal([]);
    expect(state.rounds.filter((r) => r.kind === 'train' && r.outcome === 'closed')).to.have.length(
      3,
    );
    const audit = await runCli(['audit', 'verify', dir]);
    expect(audit.code, audit.stdout).to.equal(0);
  });
});
