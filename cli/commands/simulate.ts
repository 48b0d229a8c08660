/**
 * `fedflow simulate`: a coordinator and N clients as separate processes on loopback, each
 * client with only its own share of the data; prints a per-round table and the final
 * model's detection quality. With --out DIR everything stays there for inspection.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { scoreLabelledFlows, summariseDetection } from '../../client/detect/evaluate-model.js';
import { openModel } from '../../client/detect/loaded-model.js';
import { generateDashboardToken } from '../../coordinator/http/bearer-token.js';
import type { RoundRecord } from '../../coordinator/store/federation-state.js';
import { describeFederation } from '../../shared/config/describe-federation.js';
import { loadCoordinatorConfig } from '../../shared/config/federation-config.js';
import { SCREENINGS, SERVER_OPTIMIZERS } from '../../shared/config/strategy-config.js';
import { generateIdentity } from '../../shared/crypto/identity.js';
import { writeIdentityFiles } from '../../shared/crypto/key-files.js';
import { loadModelDir, saveModelDir } from '../../shared/model/model-dir.js';
import { formatTable } from '../../shared/stats/report-table.js';
import {
  createCa,
  issueCertificate,
  writeCertificateFiles,
} from '../../shared/tls/certificates.js';
import { nslKddCandidates, nslKddDir } from '../datasets.js';
import { startBackend } from '../flow-options.js';
import { exited, jsonLines, spawnFedflow } from '../simulate/processes.js';
import {
  nslKddSites,
  parseSplit,
  type SimulationData,
  siteSeed,
  syntheticSites,
} from '../simulate/site-data.js';
import { formatEvaluation } from './evaluate.js';

interface SimulateOptions {
  clients: number;
  rounds?: number;
  localSteps?: number;
  epochs?: number;
  strategy?: string;
  screening?: string;
  seed: number;
  data: 'synthetic' | 'nsl-kdd';
  split: string;
  flows: number;
  out?: string;
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description(
      'run a coordinator and N clients as processes on loopback and report per-round progress and final detection quality',
    )
    .option('--clients <n>', 'number of sites', Number, 3)
    .option('--rounds <n>', "training rounds (default: the coordinator's, 5)", Number)
    .option(
      '--local-steps <n>',
      "optimiser steps per site per round (default: the coordinator's)",
      Number,
    )
    .option('--epochs <n>', 'local epochs per round instead of a number of steps', Number)
    .option('--strategy <name>', `${SERVER_OPTIMIZERS.join(', ')} (default: the coordinator's)`)
    .option('--screening <method>', `${SCREENINGS.join(', ')} (default: the coordinator's)`)
    .option('--seed <n>', 'seed of the global model and the sites (as the benchmarks)', Number, 1)
    .option('--data <kind>', 'synthetic or nsl-kdd', 'synthetic')
    .option('--split <mode>', 'nsl-kdd split: iid, by-service or dirichlet:ALPHA', 'by-service')
    .option('--flows <n>', 'synthetic flows per site', Number, 10_000)
    .option(
      '--out <dir>',
      'keep coordinator state, site states and the final model here (replacing an earlier simulation there)',
    )
    .action(async (options: SimulateOptions) => {
      await startBackend('auto');
      const dir = options.out
        ? resolve(options.out)
        : mkdtempSync(join(tmpdir(), 'fedflow-simulate-'));
      // Every simulation is a new consortium (new keys, CA and logs): start from an empty dir.
      if (options.out) clearEarlierSimulation(dir);
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, SIMULATION_MARKER),
        'made by fedflow simulate; replaced by the next\n',
      );
      try {
        await simulate(dir, options);
        if (!options.out)
          process.stderr.write(
            '(run with --out DIR to keep the model, the state directories and the logs)\n',
          );
      } finally {
        if (!options.out) rmSync(dir, { recursive: true, force: true });
      }
    });
}

/** Marks a directory as a simulation's output, which the next simulation may replace. */
const SIMULATION_MARKER = '.fedflow-simulation';

/**
 * Empties `dir` when an earlier simulation made it; refuses any other non-empty directory
 * rather than delete what the user keeps there.
 */
function clearEarlierSimulation(dir: string): void {
  if (!existsSync(dir) || readdirSync(dir).length === 0) return;
  if (!existsSync(join(dir, SIMULATION_MARKER)))
    throw new Error(
      `--out ${dir} is not empty and holds no earlier simulation; choose an empty or new directory`,
    );
  for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
}

async function simulate(dir: string, options: SimulateOptions): Promise<void> {
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  let data: SimulationData;
  if (options.data === 'nsl-kdd') {
    const nsl = nslKddDir();
    if (!nsl)
      throw new Error(
        `--data nsl-kdd: no NSL-KDD files in ${nslKddCandidates().join(' or ')} (set FEDFLOW_NSL_KDD_DIR)`,
      );
    data = await nslKddSites(dataDir, nsl, options.clients, parseSplit(options.split));
  } else {
    data = await syntheticSites(dataDir, options.clients, options.flows);
  }
  say(`prepared ${options.clients} sites (${options.data}) in ${dir}`);

  const coordinatorDir = join(dir, 'coordinator');
  const coordinator = generateIdentity('coordinator', 'coordinator');
  const coordinatorKeys = writeIdentityFiles(join(coordinatorDir, 'keys'), coordinator, {
    overwrite: true,
  });
  // A throw-away CA per run: the simulation exercises mutual TLS like a real consortium.
  const tlsDir = join(dir, 'tls');
  const ca = await createCa('fedflow simulate CA (throw-away)', 2);
  writeCertificateFiles(tlsDir, 'ca', ca, { overwrite: true });
  const serverCert = await issueCertificate(ca, {
    commonName: 'coordinator',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    role: 'server',
    validDays: 1,
  });
  const serverFiles = writeCertificateFiles(
    join(coordinatorDir, 'tls'),
    'coordinator',
    serverCert,
    { overwrite: true },
  );
  const caFile = join(tlsDir, 'ca.crt');
  const siteConfigs: string[] = [];
  const allowList: string[] = [];
  for (let i = 0; i < options.clients; i++) {
    const siteDir = join(dir, `site-${i + 1}`);
    const identity = generateIdentity('client', `site-${i + 1}`);
    const keys = writeIdentityFiles(join(siteDir, 'keys'), identity, { overwrite: true });
    allowList.push(keys.publicPath);
    const siteCert = writeCertificateFiles(
      join(siteDir, 'tls'),
      identity.name,
      await issueCertificate(ca, { commonName: identity.name, role: 'client', validDays: 1 }),
      { overwrite: true },
    );
    const config = join(siteDir, 'client.json');
    writeFileSync(
      config,
      JSON.stringify(
        {
          name: identity.name,
          privateKey: keys.privatePath,
          coordinator: { publicKey: coordinatorKeys.publicPath },
          stateDir: siteDir,
          data: { files: data.siteFiles[i], format: data.format, onlyLabel: data.onlyLabel },
          training: { seed: siteSeed(options.seed, i) },
          tls: {
            ca: caFile,
            cert: siteCert.certPath,
            key: siteCert.keyPath,
            serverName: 'localhost',
          },
          audit: { keepPlaintext: true },
        },
        null,
        2,
      ),
    );
    siteConfigs.push(config);
  }
  const coordinatorConfig = join(coordinatorDir, 'coordinator.json');
  const dashboardToken = generateDashboardToken();
  writeFileSync(
    coordinatorConfig,
    JSON.stringify(
      {
        privateKey: coordinatorKeys.privatePath,
        clients: allowList,
        stateDir: join(coordinatorDir, 'state'),
        listen: { host: '127.0.0.1', port: 0 },
        data: { format: data.format },
        // Only what was asked for: everything else is the coordinator's default.
        federation: {
          ...(options.rounds === undefined ? {} : { rounds: options.rounds }),
          ...(options.epochs === undefined ? {} : { epochs: options.epochs, localSteps: 0 }),
          ...(options.localSteps === undefined ? {} : { localSteps: options.localSteps }),
          minClients: options.clients,
          seed: options.seed,
          roundTimeoutSeconds: 600,
          waitForClientsSeconds: 120,
          minRecords: 5,
        },
        ...(options.strategy || options.screening
          ? {
              strategy: {
                ...(options.strategy ? { name: options.strategy } : {}),
                ...(options.screening ? { screening: { method: options.screening } } : {}),
              },
            }
          : {}),
        transport: { heartbeatSeconds: 2 },
        tls: {
          ca: caFile,
          cert: serverFiles.certPath,
          key: serverFiles.keyPath,
          requireClientCert: true,
        },
        // The demo shows the operator's dashboard (off by default elsewhere), behind a fresh token.
        dashboard: { enabled: true, port: 0, token: dashboardToken },
      },
      null,
      2,
    ),
  );

  say(describeFederation(loadCoordinatorConfig(coordinatorConfig)));
  const rounds: RoundRecord[] = [];
  let port = 0;
  let finalModelDir = '';
  const server = spawnFedflow(
    ['coordinator', '--config', coordinatorConfig],
    join(coordinatorDir, 'log.txt'),
  );
  const listening = new Promise<void>((ready) =>
    jsonLines(server, (event) => {
      if (event.event === 'listening') {
        port = event.port as number;
        if (event.dashboardPort)
          say(
            `dashboard (while the run lasts): http://127.0.0.1:${event.dashboardPort}/?token=${dashboardToken}`,
          );
        ready();
      } else if (event.event === 'round') {
        const round = event as unknown as RoundRecord;
        rounds.push(round);
        say(
          `round ${round.round} ${round.kind}: ${round.outcome}, ${round.results.length}/${round.selected.length} results in ${(round.collectMs / 1000).toFixed(1)} s`,
        );
      } else if (event.event === 'done') {
        finalModelDir = event.modelDir as string;
      }
    }),
  );
  const serverExit = exited(server);
  await Promise.race([
    listening,
    serverExit.then((code) =>
      Promise.reject(
        new Error(
          `the coordinator exited (${code}) before listening; see ${join(coordinatorDir, 'log.txt')}`,
        ),
      ),
    ),
  ]);
  say(`coordinator listening on 127.0.0.1:${port}; starting ${options.clients} clients`);
  const clients = siteConfigs.map((config, i) =>
    spawnFedflow(
      ['client', '--config', config, '--coordinator', `127.0.0.1:${port}`],
      join(dir, `site-${i + 1}`, 'log.txt'),
    ),
  );
  // One process failing ends the simulation: stop the others instead of waiting on them.
  const all = [server, ...clients];
  const codes = await Promise.all(
    all.map((child) =>
      exited(child).then((code) => {
        if (code !== 0) for (const other of all) if (other.exitCode === null) other.kill('SIGTERM');
        return code;
      }),
    ),
  );
  if (codes.some((c) => c !== 0))
    throw new Error(
      `a process failed (exit codes: coordinator ${codes[0]}, clients ${codes.slice(1).join(', ')}); logs are in ${dir}`,
    );

  process.stdout.write(`\n${roundTable(rounds)}\n\n`);
  const modelDir = join(dir, 'model');
  saveModelDir(modelDir, loadModelDir(finalModelDir));
  const loaded = openModel(modelDir);
  const scored = await scoreLabelledFlows(loaded, data.testFiles, data.format, {}, {});
  loaded.model.dispose();
  const evaluation = summariseDetection(
    scored,
    loaded.saved.thresholds?.targets ?? [],
    scored.badRows,
    scored.seconds,
  );
  process.stdout.write(
    `final global model on ${data.testFiles.length} labelled test file(s):\n${formatEvaluation(evaluation)}\n`,
  );
  writeFileSync(
    join(dir, 'evaluation.json'),
    `${JSON.stringify({ rounds, evaluation }, null, 2)}\n`,
  );
  if (options.out) say(`\nfinal model: ${modelDir} (fedflow score --model ${modelDir} ...)`);
}

function roundTable(rounds: readonly RoundRecord[]): string {
  return formatTable(
    ['round', 'task', 'outcome', 'results', 'failed', 'val loss', 'collect s', 'aggregate ms'],
    rounds.map((r) => [
      r.round,
      r.kind,
      r.outcome,
      r.results.length,
      r.failures.length,
      r.validationLoss === undefined ? '-' : r.validationLoss.toFixed(3),
      (r.collectMs / 1000).toFixed(2),
      r.aggregateMs.toFixed(1),
    ]),
  );
}
