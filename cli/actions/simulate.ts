/** What `fedflow simulate` does (its options: cli/commands/simulate.ts). */
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
import { scoreLabelledFlows, summariseDetection } from '../../client/detect/evaluate-model.js';
import { openModel } from '../../client/detect/loaded-model.js';
import type { RoundRecord } from '../../coordinator/store/federation-state.js';
import { describeFederation } from '../../shared/config/describe-federation.js';
import { loadCoordinatorConfig } from '../../shared/config/federation-config.js';
import { loadModelDir, saveModelDir } from '../../shared/model/model-dir.js';
import { formatTable } from '../../shared/stats/report-table.js';
import { nslKddCandidates, nslKddDir } from '../datasets.js';
import { startBackend } from '../flow-setup.js';
import { processLogger } from '../logging.js';
import { rowsProgress } from '../progress/rows.js';
import { type FederationRequest, provisionConsortium } from '../simulate/consortium.js';
import { runFederation } from '../simulate/run-federation.js';
import {
  nslKddSites,
  parseSplit,
  type SimulationData,
  syntheticSites,
} from '../simulate/site-data.js';
import { formatEvaluation } from './evaluate.js';

export interface SimulateOptions extends FederationRequest {
  data: 'synthetic' | 'nsl-kdd';
  split: string;
  flows: number;
  out?: string;
  /** Keep the coordinator and its dashboard up after the run, until Ctrl-C. */
  keepDashboard?: boolean;
}

export async function runSimulation(options: SimulateOptions): Promise<void> {
  await startBackend('auto');
  const dir = options.out ? resolve(options.out) : mkdtempSync(join(tmpdir(), 'fedflow-simulate-'));
  // Every simulation is a new consortium (new keys, CA and logs): start from an empty dir.
  if (options.out) clearEarlierSimulation(dir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, SIMULATION_MARKER), 'made by fedflow simulate; replaced by the next\n');
  try {
    await simulate(dir, options);
    if (!options.out)
      processLogger().info(
        'run with --out DIR to keep the model, the state directories and the logs',
      );
  } finally {
    if (!options.out) rmSync(dir, { recursive: true, force: true });
  }
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
  const log = processLogger();
  const say = (line: string) => log.info(line);
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
  const { rounds, finalModelDir, staying } = await runFederation(
    dir,
    consortium,
    say,
    options.keepDashboard ?? false,
  );

  process.stdout.write(`\n${roundTable(rounds)}\n\n`);
  const modelDir = join(dir, 'model');
  saveModelDir(modelDir, loadModelDir(finalModelDir));
  const loaded = openModel(modelDir);
  const progress = rowsProgress('evaluating');
  const scored = await scoreLabelledFlows(
    loaded,
    data.testFiles,
    data.format,
    {},
    {
      onScored: progress.update,
    },
  ).finally(() => progress.stop());
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
  if (options.out) say(`final model: ${modelDir} (fedflow score --model ${modelDir} ...)`);
  if (staying) {
    say('the dashboard stays up (its address is above); Ctrl-C stops the coordinator');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await staying.stop();
  }
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
