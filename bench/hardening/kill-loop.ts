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
import {
  type CoordinatorConfig,
  loadCoordinatorConfig,
} from '../../shared/config/federation-config.js';
import {
  fingerprint,
  generateIdentity,
  type Identity,
  publicIdentity,
} from '../../shared/crypto/identity.js';
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

/** A site run in this process: its identity, its flow log and where it logs what it sends. */
interface Site {
  readonly identity: Identity;
  readonly file: string;
  readonly egress: string;
}

/** A coordinator process and the port it listens on. */
interface Coordinator {
  readonly child: ChildProcess;
  readonly port: number;
}

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
    const { operator, sites, config, configFile } = await prepareFederation(dir);
    const start = async (): Promise<Coordinator> => {
      const child = run(options.fedflow, ['coordinator', '--config', configFile]);
      return { child, port: await listeningPort(child) };
    };
    const first = await start();
    // Restarts listen on the same port, so the sites find it again by themselves.
    const fixed = { ...config, listen: { ...config.listen, port: first.port } };
    writeFileSync(configFile, JSON.stringify(fixed));
    const agents = joinSites(sites, operator, first.port);
    const ingress = join(dir, 'coordinator-state', 'audit', 'ingress.jsonl');
    const { kills, coordinator } = await killRepeatedly(first, start, ingress, options.kills);
    await Promise.all(agents);
    if (running(coordinator)) await new Promise((r) => coordinator.child.once('exit', r));
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
    const audit = await auditVerify(options.fedflow, dir);
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
      auditExitCode: audit.exitCode,
      auditSummary: audit.output.trim().split('\n').at(-1) ?? '',
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Keys for the coordinator and three sites, a synthetic flow log per site and the
 * coordinator's config file (listening on any free port for now), all under `dir`.
 */
async function prepareFederation(
  dir: string,
): Promise<{ operator: Identity; sites: Site[]; config: CoordinatorConfig; configFile: string }> {
  const keys = join(dir, 'keys');
  const operator = generateIdentity('coordinator', 'coordinator');
  writeIdentityFiles(keys, operator);
  const sites: Site[] = [];
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
  return { operator, sites, config, configFile };
}

/** Each site taking part until the federation finishes, reconnecting quickly after a kill. */
function joinSites(
  sites: readonly Site[],
  operator: Identity,
  port: number,
): ReturnType<typeof participate>[] {
  return sites.map((site, i) =>
    participate({
      connection: new CoordinatorConnection(
        `127.0.0.1:${port}`,
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
}

/**
 * Up to `kills` times: SIGKILL the coordinator right after it accepts its next one or two
 * results, then start it again. Stops early when the federation finished first; returns the
 * kills done and the coordinator now running (or finished).
 */
async function killRepeatedly(
  first: Coordinator,
  start: () => Promise<Coordinator>,
  ingress: string,
  limit: number,
): Promise<{ kills: number; coordinator: Coordinator }> {
  let coordinator = first;
  const accepted = () => entries(ingress).filter((e) => e.outcome === 'accepted').length;
  let kills = 0;
  while (kills < limit) {
    // Right after the next one or two results it accepts, while the round is still open.
    const seen = accepted();
    while (running(coordinator) && accepted() < seen + 1 + (kills % 2))
      await new Promise((r) => setTimeout(r, 5));
    if (!running(coordinator)) break; // the federation finished first
    coordinator.child.kill('SIGKILL');
    await new Promise((r) => coordinator.child.once('exit', r));
    kills += 1;
    coordinator = await start();
  }
  return { kills, coordinator };
}

function running(coordinator: Coordinator): boolean {
  return coordinator.child.exitCode === null && coordinator.child.signalCode === null;
}

/** Runs `fedflow audit verify` on everything under `dir`: its exit code and output. */
async function auditVerify(
  fedflow: readonly string[],
  dir: string,
): Promise<{ exitCode: number | null; output: string }> {
  const audit = run(fedflow, ['audit', 'verify', dir]);
  let output = '';
  audit.stdout!.on('data', (d) => {
    output += d;
  });
  const exitCode = await new Promise<number | null>((r) => audit.once('exit', r));
  return { exitCode, output };
}
