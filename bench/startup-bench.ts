/**
 * Start-up and fixed costs of the real program, each run a new process as a user starts it:
 * `fedflow --help` and `fedflow score --help` (which must load no model code), `fedflow score`
 * on the first 20,000 rows of KDDTest+ (where fixed costs are most of the run), and on KDDTest+
 * ten times over (~225,000 rows, the throughput). The model is trained by `fedflow train` on
 * KDDTrain+_20Percent, as a site would.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './stats.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'fedflow.js');

/** Runs the program once; its wall time in seconds, and its standard error. */
function timed(args: readonly string[]): { seconds: number; stderr: string } {
  const started = performance.now();
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`fedflow ${args.join(' ')} failed: ${run.stderr}`);
  return { seconds, stderr: run.stderr };
}

function medianSeconds(args: readonly string[], runs: number): number {
  timed(args); // warm-up: the file cache, not the program, is what a first run measures
  return median(Array.from({ length: runs }, () => timed(args).seconds));
}

export async function runStartup(nslKdd: string, log: (line: string) => void): Promise<object> {
  const work = mkdtempSync(join(tmpdir(), 'fedflow-startupbench-'));
  try {
    const model = join(work, 'model');
    log('startup: training the model (fedflow train on KDDTrain+_20Percent)...');
    timed(
      ['train', '--data', join(nslKdd, 'KDDTrain+_20Percent.txt')].concat([
        '--format',
        'nsl-kdd',
        '--seed',
        '1',
        '--out',
        model,
      ]),
    );
    const test = readFileSync(join(nslKdd, 'KDDTest+.txt'), 'utf8');
    const rows = test.split('\n').filter((line) => line !== '');
    const first20k = join(work, 'first-20k.txt');
    writeFileSync(first20k, `${rows.slice(0, 20_000).join('\n')}\n`);
    const tenTimes = join(work, 'ten-times.txt');
    writeFileSync(tenTimes, test.endsWith('\n') ? test.repeat(10) : `${test}\n`.repeat(10));
    const score = (data: string) =>
      ['score', '--data', data, '--format', 'nsl-kdd', '--model', model].concat([
        '--out',
        join(work, 'alerts.jsonl'),
      ]);
    log('startup: --help, score --help, score on 20,000 rows...');
    const result = {
      helpSeconds: medianSeconds(['--help'], 9),
      scoreHelpSeconds: medianSeconds(['score', '--help'], 9),
      score20kSeconds: medianSeconds(score(first20k), 5),
    };
    log('startup: score on KDDTest+ x10...');
    const flowsPerSecond = Array.from({ length: 3 }, () => {
      const { stderr } = timed(score(tenTimes));
      return Number(/ (\d+) flows\/s/.exec(stderr)?.[1]);
    });
    return {
      ...result,
      scoreTenTimes: { flows: rows.length * 10, flowsPerSecond: median(flowsPerSecond) },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
