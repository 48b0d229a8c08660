/**
 * A coordinator process killed with SIGKILL again and again, each time right after it
 * accepted a result of an open round, and restarted on the same port; three sites run in
 * this process and find it again by themselves. Counts the results the coordinator accepted
 * or a site holds a receipt for that no round record counted (lost: must be 0), and runs
 * `fedflow audit verify`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listeningPort } from '../../cli/simulate/processes.js';
import { participate } from '../../client/agent/participation.js';
import { SiteWorker } from '../../client/agent/site-worker.js';
import { CoordinatorConnection } from '../../client/transport/coordinator-connection.js';
import type { RoundRecord } from '../../coordinator/store/federation-state.js';
import type { AuditEntry } from '../../shared/audit/audit-entry.js';
import { AuditLogWriter } from '../../shared/audit/audit-log-writer.js';
import { loadCoordinatorConfig } from '../../shared/config/federation-config.js';
import { fingerprint, generateIdentity, publicIdentity } from '../../shared/crypto/identity.js';
import { writeIdentityFiles } from '../../shared/crypto/key-files.js';
import { type OrganisationProfile, writeSyntheticConnLog } from '../../shared/flows/synth/index.js';

export interface KillLoopOptions {
  readonly kills: number;
  /** How to run `fedflow`: e.g. [node, 'dist/cli/fedflow.js'] or tsx on the sources. */
  readonly fedflow: readonly string[];
}

export interface KillLoopResult {
  /** Kills done (fewer than asked when the federation finished first). */
  readonly kills: number;
  /** Results the coordinator logged as accepted (a kill may come before the receipt left). */
  readonly accepted: number;
  /** Results the sites hold the coordinator's receipt for. */
  readonly receipts: number;
  /** Accepted results ("task client") no round record counted: must be none. */
  readonly lost: readonly string[];
  readonly phase: string;
  /** Results counted by the rounds that closed (sites x rounds when nothing was lost). */
  readonly resultsInClosedRounds: number;
  readonly trainingRoundsClosed: number;
  readonly auditExitCode: number | null;
  readonly auditSummary: string;
  readonly seconds: number;
}

const PROFILES: OrganisationProfile[] = ['web', 'internal', 'mail-dns'];

function run(argv: readonly string[], args: string[]): ChildProcess {
  return spawn(argv[0]!, [...argv.slice(1), ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
}

const entries = (file: string): AuditEntry[] => {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as AuditEntry);
  } catch {
    return [];
  }
};

export async function runKillLoop(options: KillLoopOptions): Promise<KillLoopResult> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'fedflow-kill-loop-'));
  try {
    const keys = join(dir, 'keys');
    const operator = generateIdentity('coordinator', 'coordinator');
    writeIdentityFiles(keys, operator);
    const sites = [];
    for (const [i, profile] of PROFILES.entries()) {
      const identity = generateIdentity('client', `site-${i + 1}`);
      writeIdentityFiles(keys, identity);
      const file = join(dir, `site-${i + 1}.log`);
      await writeSyntheticConnLog(file, { profile, flows: 2000, seed: 100 + i });
      sites.push({ identity, file, egress: join(dir, `site-${i + 1}`, 'egress.jsonl') });
    }
    const config = loadCoordinatorConfig(undefined, {
      privateKey: join(keys, 'coordinator.private.json'),
      clients: sites.map((s) => join(keys, `${s.identity.name}.public.json`)),
      stateDir: join(dir, 'coordinator-state'),
      'listen.port': 0,
      'tls.enabled': false,
      'data.format': 'zeek',
      'federation.rounds': 3,
      'federation.localSteps': 20,
      'federation.minClients': sites.length,
      'federation.minRecords': 5,
      'federation.roundTimeoutSeconds': 120,
      'transport.heartbeatSeconds': 1,
      'transport.reattachSeconds': 5,
      'model.hidden': 32,
      'model.components': 8,
    });
    const configFile = join(dir, 'coordinator.json');
    writeFileSync(configFile, JSON.stringify(config));
    const start = async () => {
      const child = run(options.fedflow, ['coordinator', '--config', configFile]);
      return { child, port: await listeningPort(child) };
    };
    let coordinator = await start();
    // Restarts listen on the same port, so the sites find it again by themselves.
    const fixed = { ...config, listen: { ...config.listen, port: coordinator.port } };
    writeFileSync(configFile, JSON.stringify(fixed));
    const agents = sites.map((site, i) =>
      participate({
        connection: new CoordinatorConnection(
          `127.0.0.1:${coordinator.port}`,
          site.identity,
          publicIdentity(operator),
          {
            egress: AuditLogWriter.open(site.egress, site.identity, 'egress', {
              keepPlaintext: true,
            }),
          },
        ),
        worker: new SiteWorker({
          selection: { files: [site.file], format: 'zeek', onlyLabel: null, read: {} },
          shares: { validation: 0.1, calibration: 0.1, seed: i + 1 },
          seed: i + 1,
        }),
        reconnect: { initialMs: 50, maxMs: 500 },
        log: () => {},
      }),
    );
    const ingress = join(dir, 'coordinator-state', 'audit', 'ingress.jsonl');
    const accepted = () => entries(ingress).filter((e) => e.outcome === 'accepted').length;
    let kills = 0;
    const running = () =>
      coordinator.child.exitCode === null && coordinator.child.signalCode === null;
    while (kills < options.kills) {
      // Right after the next one or two results it accepts, while the round is still open.
      const seen = accepted();
      while (running() && accepted() < seen + 1 + (kills % 2))
        await new Promise((r) => setTimeout(r, 5));
      if (!running()) break; // the federation finished first
      coordinator.child.kill('SIGKILL');
      await new Promise((r) => coordinator.child.once('exit', r));
      kills += 1;
      coordinator = await start();
    }
    await Promise.all(agents);
    if (running()) await new Promise((r) => coordinator.child.once('exit', r));
    const state = JSON.parse(
      readFileSync(join(dir, 'coordinator-state', 'state.json'), 'utf8'),
    ) as { phase: string; rounds: RoundRecord[] };
    const counted = new Set(
      state.rounds.flatMap((r) => r.results.map((x) => `${r.taskId} ${x.clientId}`)),
    );
    const receipts = sites.flatMap((site) =>
      entries(site.egress)
        .filter((e) => e.type === 'receipt')
        .map((e) => `${e.taskId} ${fingerprint(site.identity.signPublicKey)}`),
    );
    const acceptedResults = entries(ingress)
      .filter((e) => e.outcome === 'accepted' && e.type !== 'screening')
      .map((e) => `${e.taskId} ${e.peer}`);
    const audit = run(options.fedflow, ['audit', 'verify', dir]);
    let auditOutput = '';
    audit.stdout!.on('data', (d) => {
      auditOutput += d;
    });
    const auditExitCode = await new Promise<number | null>((r) => audit.once('exit', r));
    return {
      kills,
      accepted: acceptedResults.length,
      receipts: receipts.length,
      lost: [...new Set([...acceptedResults, ...receipts])].filter((key) => !counted.has(key)),
      phase: state.phase,
      resultsInClosedRounds: state.rounds
        .filter((r) => r.outcome === 'closed')
        .reduce((n, r) => n + r.results.length, 0),
      trainingRoundsClosed: state.rounds.filter((r) => r.kind === 'train' && r.outcome === 'closed')
        .length,
      auditExitCode,
      auditSummary: auditOutput.trim().split('\n').at(-1) ?? '',
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
