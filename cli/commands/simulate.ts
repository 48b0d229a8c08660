/**
 * `fedflow simulate`: a coordinator and N clients as separate processes on loopback, each
 * client with only its own share of the data; prints a per-round table and the final
 * model's detection quality. With --out DIR everything stays there for inspection.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { scoreLabelledFlows, summariseDetection } from '../../client/detect/evaluate-model.js';
import { openModel } from '../../client/detect/loaded-model.js';
import type { RoundRecord } from '../../coordinator/store/federation-state.js';
import { describeFederation } from '../../shared/config/describe-federation.js';
import { loadCoordinatorConfig } from '../../shared/config/federation-config.js';
import { SCREENINGS, SERVER_OPTIMIZERS } from '../../shared/config/strategy-config.js';
import { loadModelDir, saveModelDir } from '../../shared/model/model-dir.js';
import { formatTable } from '../../shared/stats/report-table.js';
import { nslKddCandidates, nslKddDir } from '../datasets.js';
import { startBackend } from '../flow-options.js';
import { type FederationRequest, provisionConsortium } from '../simulate/consortium.js';
import { runFederation } from '../simulate/run-federation.js';
import {
  nslKddSites,
  parseSplit,
  type SimulationData,
  syntheticSites,
} from '../simulate/site-data.js';
import { formatEvaluation } from './evaluate.js';

interface SimulateOptions extends FederationRequest {
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
    .option('--rounds <n>', "training rounds (default: the coordinator's, 8)", Number)
    .option(
      '--local-steps <n>',
      "optimiser steps per site per round (default: the coordinator's)",
      Number,
    )
    .option('--epochs <n>', 'local epochs per round instead of a number of steps', Number)
    .option('--strategy <name>', `${SERVER_OPTIMIZERS.join(', ')} (default: the coordinator's)`)
    .option('--screening <method>', `${SCREENINGS.join(', ')} (default: the coordinator's)`)
    .option(
      '--secure-aggregation',
      "train by secure aggregation: the coordinator sees only the sum of the sites' deltas (at least 3 sites)",
    )
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
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory())
    throw new Error(`--out ${dir} is a file, not a directory; choose an empty or new directory`);
  if (readdirSync(dir).length === 0) return;
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

  const consortium = await provisionConsortium(dir, options, data);
  say(describeFederation(loadCoordinatorConfig(consortium.coordinatorConfig)));
  const { rounds, finalModelDir } = await runFederation(dir, consortium, say);

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
