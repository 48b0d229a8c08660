/**
 * Training and scoring speed of the backends on NSL-KDD, each variant a fresh `fedflow` process
 * (TensorFlow reads its thread counts once, when it starts): the native backend with 1 and with 2
 * intra-op threads (and 2 inter-op threads, TensorFlow's own default on 2 cores), and WebAssembly
 * for reference. Variants run in turn, round after round, so a machine whose speed drifts slows
 * them all alike; medians are reported.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './stats.js';

export interface SpeedVariant {
  readonly name: string;
  readonly backend: 'tensorflow' | 'wasm';
  /** TF_NUM_INTRAOP_THREADS / TF_NUM_INTEROP_THREADS for the native backend. */
  readonly threads?: { readonly intraOp: number; readonly interOp: number };
}

export const SPEED_VARIANTS: readonly SpeedVariant[] = [
  { name: 'tensorflow-intra1', backend: 'tensorflow', threads: { intraOp: 1, interOp: 1 } },
  { name: 'tensorflow-intra2', backend: 'tensorflow', threads: { intraOp: 2, interOp: 1 } },
  { name: 'tensorflow-intra2-inter2', backend: 'tensorflow', threads: { intraOp: 2, interOp: 2 } },
  { name: 'wasm', backend: 'wasm' },
];

const EPOCHS = 6;

interface Sample {
  readonly trainFlowsPerSecond: number;
  readonly scoreFlowsPerSecond: number;
}

function fedflow(cli: string, variant: SpeedVariant, args: string[]): string {
  const env: NodeJS.ProcessEnv = { ...process.env, FEDFLOW_BACKEND: variant.backend };
  if (variant.threads) {
    env.TF_NUM_INTRAOP_THREADS = String(variant.threads.intraOp);
    env.TF_NUM_INTEROP_THREADS = String(variant.threads.interOp);
  }
  const run = spawnSync(process.execPath, [cli, ...args], { env, encoding: 'utf8' });
  if (run.status !== 0) {
    throw new Error(`${variant.name}: fedflow ${args[0]} failed (${run.status}):\n${run.stderr}`);
  }
  // fedflow reports its progress and speed on standard error.
  return run.stderr;
}

function sample(cli: string, dir: string, variant: SpeedVariant, work: string): Sample {
  const model = join(work, `${variant.name}-model`);
  const train = fedflow(cli, variant, [
    ...['train', '--data', join(dir, 'KDDTrain+_20Percent.txt'), '--format', 'nsl-kdd'],
    ...['--only-label', 'normal', '--epochs', String(EPOCHS), '--seed', '1', '--out', model],
  ]);
  // The first epoch also compiles kernels and warms caches: steady state is what a site sees.
  const epochs = [...train.matchAll(/flows_per_s=(\d+)/g)].map((m) => Number(m[1])).slice(1);
  const score = fedflow(cli, variant, [
    ...['score', '--model', model, '--data', join(dir, 'KDDTest+.txt'), '--format', 'nsl-kdd'],
    ...['--out', join(work, `${variant.name}.jsonl`)],
  ]);
  const scored = /, (\d+) flows\/s/.exec(score);
  if (epochs.length === 0 || !scored) {
    throw new Error(`${variant.name}: fedflow printed no speed:\n${train}\n${score}`);
  }
  return { trainFlowsPerSecond: median(epochs), scoreFlowsPerSecond: Number(scored[1]) };
}

/** Runs `rounds` rounds of every variant in turn; `cli` is dist/cli/fedflow.js. */
export function runBackendSpeed(
  cli: string,
  dir: string,
  rounds: number,
  log: (line: string) => void,
  variants: readonly SpeedVariant[] = SPEED_VARIANTS,
) {
  const work = mkdtempSync(join(tmpdir(), 'fedflow-speed-'));
  const samples = new Map<string, Sample[]>(variants.map((v) => [v.name, []]));
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const variant of variants) {
        const s = sample(cli, dir, variant, work);
        samples.get(variant.name)!.push(s);
        log(
          `backend-speed round ${round} ${variant.name}: train ${s.trainFlowsPerSecond} flows/s, score ${s.scoreFlowsPerSecond} flows/s`,
        );
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return variants.map((variant) => {
    const runs = samples.get(variant.name)!;
    return {
      ...variant,
      trainFlowsPerSecond: median(runs.map((r) => r.trainFlowsPerSecond)),
      scoreFlowsPerSecond: median(runs.map((r) => r.scoreFlowsPerSecond)),
      runs,
    };
  });
}
