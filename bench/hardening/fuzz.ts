/**
 * Fuzzing a real coordinator process: many messages of random bytes, and of well-formed
 * messages with random contents, to every RPC. Reports the gRPC status of each, the
 * coordinator's resident memory before and after, the size of its ingress log, and
 * whether it still answers an allow-listed site afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, credentials, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { listeningPort } from '../../cli/simulate/processes.js';
import { loadCoordinatorConfig } from '../../shared/config/federation-config.js';
import { generateIdentity } from '../../shared/crypto/identity.js';
import { writeIdentityFiles } from '../../shared/crypto/key-files.js';
import { loadFederation } from '../../shared/wire/proto-loader.js';

const here = dirname(fileURLToPath(import.meta.url));
const fedflow = join(here, '..', '..', 'cli', 'fedflow.js');
const SERVICE = '/fedflow.v1.Federation';
const METHODS = ['GetChallenge', 'Enrol', 'WaitForTask', 'FetchModel', 'SubmitResult'] as const;

export interface FuzzResult {
  readonly messages: number;
  readonly byMethod: Record<string, Record<string, number>>;
  readonly rssBeforeMB: number;
  readonly rssAfterMB: number;
  readonly ingressLogBytes: number;
  readonly seconds: number;
  readonly aliveAfter: boolean;
  readonly answersAllowListedSiteAfter: boolean;
}

function rssMB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 1024);
}

function startCoordinator(configFile: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [fedflow, 'coordinator', '--config', configFile], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return listeningPort(child).then((port) => ({ child, port }));
}

type Federation = InstanceType<ReturnType<typeof loadFederation>['fedflow']['v1']['Federation']>;

/** A well-formed message whose fields are random: keys, tokens, sizes, chunks. */
function sendTyped(client: Federation, method: (typeof METHODS)[number]): Promise<string> {
  const bytes = (n: number) => randomBytes(Math.floor(Math.random() * n));
  const token = bytes(40).toString('hex');
  const options = { deadline: Date.now() + 5_000 };
  const code = (e: ServiceError | null) => (e ? status[e.code] : 'OK')!;
  const n3 = () => Math.floor(Math.random() * 3);
  return new Promise((resolve) => {
    if (method === 'GetChallenge')
      client.getChallenge({ clientSignKey: bytes(70) }, options, (e) => resolve(code(e)));
    else if (method === 'Enrol')
      client.enrol(
        {
          clientSignKey: bytes(70),
          clientBoxKey: bytes(70),
          challenge: bytes(70),
          signature: bytes(70),
        },
        options,
        (e) => resolve(code(e)),
      );
    else if (method === 'WaitForTask' || method === 'FetchModel') {
      const call =
        method === 'WaitForTask'
          ? client.waitForTask({ sessionToken: token }, options)
          : client.fetchModel(
              { sessionToken: token, modelVersion: Math.floor(Math.random() * 9) },
              options,
            );
      call.on('data', () => call.cancel());
      call.on('error', (e: ServiceError) => resolve(code(e)));
      call.on('end', () => resolve('OK'));
    } else {
      const call = client.submitResult(options, (e) => resolve(code(e)));
      call.write({
        header: {
          sessionToken: token,
          round: Math.floor(Math.random() * 5),
          taskId: token.slice(0, 16),
          kind: (['TASK_KIND_SKETCH', 'TASK_KIND_TRAIN', 'TASK_KIND_CALIBRATE'] as const)[n3()],
          totalBytes: Math.floor(Math.random() * 300 * 1024 * 1024),
          sha256: bytes(40),
        },
      });
      call.write({ chunk: { index: 0, total: 1, data: bytes(4096), sha256: bytes(40) } });
      call.end();
    }
  });
}

/** One message of random bytes: mostly not a protobuf message of the method's type. */
function send(client: Client, method: (typeof METHODS)[number]): Promise<string> {
  const path = `${SERVICE}/${method}`;
  const identity = (b: Buffer) => b;
  const body = () => randomBytes(Math.floor(Math.random() * 200));
  const deadline = { deadline: Date.now() + 5_000 };
  const code = (e: ServiceError | null) => (e ? status[e.code] : 'OK')!;
  return new Promise((resolve) => {
    if (method === 'GetChallenge' || method === 'Enrol') {
      client.makeUnaryRequest(path, identity, identity, body(), new Metadata(), deadline, (e) =>
        resolve(code(e)),
      );
    } else if (method === 'WaitForTask' || method === 'FetchModel') {
      const call = client.makeServerStreamRequest(
        path,
        identity,
        identity,
        body(),
        new Metadata(),
        deadline,
      );
      call.on('data', () => call.cancel());
      call.on('error', (e: ServiceError) => resolve(code(e)));
      call.on('end', () => resolve('OK'));
    } else {
      const call = client.makeClientStreamRequest(
        path,
        identity,
        identity,
        new Metadata(),
        deadline,
        (e) => resolve(code(e)),
      );
      for (let i = 0; i < 1 + Math.floor(Math.random() * 3); i++) call.write(body());
      call.end();
    }
  });
}

export async function runFuzz(messages: number, log: (line: string) => void): Promise<FuzzResult> {
  const dir = mkdtempSync(join(tmpdir(), 'fedflow-fuzz-'));
  let coordinator: { child: ChildProcess; port: number } | null = null;
  try {
    const keys = join(dir, 'keys');
    const operator = generateIdentity('coordinator', 'coordinator');
    const site = generateIdentity('client', 'site-1');
    writeIdentityFiles(keys, operator);
    writeIdentityFiles(keys, site);
    const config = loadCoordinatorConfig(undefined, {
      privateKey: join(keys, 'coordinator.private.json'),
      clients: [join(keys, 'site-1.public.json')],
      stateDir: join(dir, 'state'),
      'listen.port': 0,
      'tls.enabled': false,
      'data.format': 'zeek',
      'federation.minClients': 1,
      'federation.waitForClientsSeconds': 3600,
    });
    const configFile = join(dir, 'coordinator.json');
    writeFileSync(configFile, JSON.stringify(config));
    coordinator = await startCoordinator(configFile);
    const pid = coordinator.child.pid!;
    await new Promise((r) => setTimeout(r, 1000));
    const rssBeforeMB = rssMB(pid);
    const client = new Client(`127.0.0.1:${coordinator.port}`, credentials.createInsecure());
    const { Federation } = loadFederation().fedflow.v1;
    const typed = new Federation(`127.0.0.1:${coordinator.port}`, credentials.createInsecure());
    const byMethod: Record<string, Record<string, number>> = {};
    const started = performance.now();
    let sent = 0;
    let done = 0;
    const worker = async () => {
      while (sent < messages) {
        const n = sent++;
        const method = METHODS[n % METHODS.length]!;
        // Alternate five at a time: random bytes, then well-formed messages of random fields.
        const raw = Math.floor(n / METHODS.length) % 2 === 0;
        const outcome = raw ? await send(client, method) : await sendTyped(typed, method);
        const key = `${method} (${raw ? 'random bytes' : 'random fields'})`;
        const counts = byMethod[key] ?? {};
        counts[outcome] = (counts[outcome] ?? 0) + 1;
        byMethod[key] = counts;
        if (++done % 20_000 === 0) log(`fuzz: ${done} messages answered`);
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    const seconds = (performance.now() - started) / 1000;
    client.close();
    typed.close();
    await new Promise((r) => setTimeout(r, 1000));
    const aliveAfter = coordinator.child.exitCode === null;
    const rssAfterMB = aliveAfter ? rssMB(pid) : 0;
    // Still serving: an allow-listed site gets a challenge.
    const real = new Federation(`127.0.0.1:${coordinator.port}`, credentials.createInsecure());
    const answersAllowListedSiteAfter = await new Promise<boolean>((resolve) =>
      real.getChallenge({ clientSignKey: site.signPublicKey }, (e) => resolve(e === null)),
    );
    real.close();
    const ingress = join(dir, 'state', 'audit', 'ingress.jsonl');
    return {
      messages,
      byMethod,
      rssBeforeMB,
      rssAfterMB,
      ingressLogBytes: existsSync(ingress) ? statSync(ingress).size : 0,
      seconds,
      aliveAfter,
      answersAllowListedSiteAfter,
    };
  } finally {
    coordinator?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
