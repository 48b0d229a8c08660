/**
 * `score` file -> alert lines, whole processes: fedflow's real CLI against the peer's
 * score_file.py (pandas + torch) on the same file and model, A B A B, and whether the two
 * wrote the same scores and threshold flags.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { median } from '../stats.js';
import { PYTHON, peersDir, timeProcess } from './python-peer.js';

export interface FileScoringPair {
  readonly fedflowSeconds: number;
  /** Peer wall seconds by torch thread count ('1', and the default). */
  readonly peerSeconds: Record<string, number>;
  /** fedflow flows/s ÷ peer flows/s, by thread count. */
  readonly ratio: Record<string, number>;
}

export interface FileScoring {
  readonly file: string;
  readonly rows: number;
  readonly pairs: FileScoringPair[];
  readonly medianFlowsPerSecond: { fedflow: number; peer: Record<string, number> };
  readonly medianRatio: Record<string, number>;
}

/** `pairs` alternations of fedflow's `score` and the peer's, at each torch thread count. */
export function compareFileScoring(
  fedflow: readonly string[],
  modelDir: string,
  file: string,
  rows: number,
  work: string,
  threads: readonly number[],
  pairs: number,
): FileScoring {
  const ours = join(work, 'fedflow-alerts.jsonl');
  const theirs = join(work, 'peer-alerts.jsonl');
  const results: FileScoringPair[] = [];
  for (let p = 0; p < pairs; p++) {
    rmSync(ours, { force: true });
    const fedflowSeconds = timeProcess(fedflow[0]!, [
      ...fedflow.slice(1),
      ...['score', '--model', modelDir, '--data', file, '--format', 'nsl-kdd', '--out', ours],
    ]);
    const peerSeconds: Record<string, number> = {};
    const ratio: Record<string, number> = {};
    for (const t of threads) {
      rmSync(theirs, { force: true });
      peerSeconds[t] = timeProcess(PYTHON, [
        join(peersDir(), 'score_file.py'),
        ...['--model', modelDir, '--data', file, '--out', theirs, '--threads', String(t)],
      ]);
      ratio[t] = peerSeconds[t] / fedflowSeconds;
    }
    results.push({ fedflowSeconds, peerSeconds, ratio });
  }
  const byThreads = <T>(f: (t: number) => T) => Object.fromEntries(threads.map((t) => [t, f(t)]));
  return {
    file,
    rows,
    pairs: results,
    medianFlowsPerSecond: {
      fedflow: rows / median(results.map((r) => r.fedflowSeconds)),
      peer: byThreads((t) => rows / median(results.map((r) => r.peerSeconds[t]!))),
    },
    medianRatio: byThreads((t) => median(results.map((r) => r.ratio[t]!))),
  };
}

export interface AlertAgreement {
  readonly lines: { fedflow: number; peer: number };
  /** Largest |score difference| of a row; both round to 4 decimals, so up to 1e-4 + 1e-4. */
  readonly maxScoreDiff: number;
  /** Rows whose threshold flags differ (only possible with a score within ~1e-4 of one). */
  readonly flagMismatches: number;
}

/** Scores one file with both (their last runs' outputs in `work`) and compares line by line. */
export function compareAlertLines(work: string): AlertAgreement {
  const read = (name: string) =>
    readFileSync(join(work, name), 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as { row: number; score: number; alerts: Record<string, boolean> });
  const ours = read('fedflow-alerts.jsonl');
  const theirs = read('peer-alerts.jsonl');
  let maxScoreDiff = ours.length === theirs.length ? 0 : Number.POSITIVE_INFINITY;
  let flagMismatches = 0;
  for (let i = 0; i < Math.min(ours.length, theirs.length); i++) {
    const a = ours[i]!;
    const b = theirs[i]!;
    maxScoreDiff = Math.max(maxScoreDiff, a.row === b.row ? Math.abs(a.score - b.score) : Infinity);
    if (JSON.stringify(a.alerts) !== JSON.stringify(b.alerts)) flagMismatches++;
  }
  return { lines: { fedflow: ours.length, peer: theirs.length }, maxScoreDiff, flagMismatches };
}
