/**
 * fedflow against its PyTorch peer on NSL-KDD (bench/peers/README.md): the same model
 * directory and the same encoded rows on both sides, checked to agree, then training epochs,
 * model-only scoring and `score` file -> alert lines, alternating fedflow and the peer.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openModel } from '../../client/detect/loaded-model.js';
import { encodeFlows } from '../../client/pipeline/training-set.js';
import { median } from '../stats.js';
import { writeCodes } from './codes-file.js';
import { type EpochFigure, fedflowScoring, fedflowTraining } from './fedflow-side.js';
import { compareAlertLines, compareFileScoring } from './file-scoring.js';
import { checkPeerMatches } from './peer-match.js';
import { type PeerInfo, runPeer } from './python-peer.js';

export interface PeersSettings {
  /** The fedflow CLI as a command line: [node, dist/cli/fedflow.js]. */
  readonly fedflow: readonly string[];
  readonly pairs: number;
  readonly epochs: number;
  /** How many copies of KDDTest+ make the large scoring file. */
  readonly copies: number;
}

type PeerTrain = { epochs: EpochFigure[]; threads: number; rows: number; batchSize: number };

export async function runPeers(
  dir: string,
  peer: PeerInfo,
  s: PeersSettings,
  log: (l: string) => void,
) {
  const work = mkdtempSync(join(tmpdir(), 'fedflow-peers-'));
  try {
    const prepared = await prepareModel(dir, work, s, log);
    const { loaded, train, test, match } = prepared;
    // One torch thread, and torch's own default (the number of cores) when that differs.
    const threads = [...new Set([1, peer.defaultThreads])];
    const { training, scoring } = await modelPairs(prepared, threads, s, log);
    const testFile = join(dir, 'KDDTest+.txt');
    const big = join(work, `KDDTest+x${s.copies}.txt`);
    const testText = readFileSync(testFile);
    writeFileSync(big, Buffer.concat(Array<Buffer>(s.copies).fill(testText)));
    const files = [];
    let agreement = null;
    for (const [file, rows] of [
      [testFile, test.length],
      [big, test.length * s.copies],
    ] as const) {
      log(`peers: score ${file} (${rows} rows), fedflow CLI against score_file.py`);
      files.push(
        compareFileScoring(s.fedflow, prepared.modelDir, file, rows, work, threads, s.pairs),
      );
      if (file === testFile) agreement = compareAlertLines(work);
    }
    loaded.model.dispose();
    return {
      match,
      alertLinesAgree: agreement,
      training: summariseTraining(training, threads, train.length, s.epochs),
      scoringModelOnly: summariseScoring(scoring, threads, test.length),
      scoringFile: files,
      matmulGflops: Object.fromEntries(
        threads.map((t) => [
          t,
          runPeer<{ gflops: number }>(['gemm', '--threads', String(t)]).gflops,
        ]),
      ),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * A model trained by fedflow's CLI, both data sets encoded by fedflow (and written for the
 * peer), and the check that the peer reproduces the model before anything is timed.
 */
async function prepareModel(dir: string, work: string, s: PeersSettings, log: (l: string) => void) {
  const modelDir = join(work, 'model');
  const trainFile = join(dir, 'KDDTrain+_20Percent.txt');
  const testFile = join(dir, 'KDDTest+.txt');
  log(`peers: fedflow train (${s.epochs} epochs) on the normal rows of ${trainFile}`);
  execFileSync(
    s.fedflow[0]!,
    [...s.fedflow.slice(1), 'train', '--data', trainFile, '--format', 'nsl-kdd'].concat([
      '--only-label',
      'normal',
      '--epochs',
      String(s.epochs),
      '--out',
      modelDir,
    ]),
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const loaded = openModel(modelDir);
  const read = (file: string, onlyLabel: string | null) =>
    encodeFlows({ files: [file], format: 'nsl-kdd', onlyLabel, read: {} }, loaded.encoder);
  const train = await read(trainFile, 'normal');
  const test = await read(testFile, null);
  const trainCodes = join(work, 'train.u16');
  const testCodes = join(work, 'test.u16');
  writeCodes(trainCodes, train);
  writeCodes(testCodes, test);
  const match = checkPeerMatches(modelDir, loaded, test, work);
  log(`peers: match ${JSON.stringify(match)}`);
  if (!match.matches)
    throw new Error(`the peer does not reproduce fedflow's model: ${JSON.stringify(match)}`);
  return { modelDir, loaded, train, test, trainCodes, testCodes, match };
}

/** Training and model-only scoring, fedflow and the peer in turn, `s.pairs` rounds. */
async function modelPairs(
  prepared: Awaited<ReturnType<typeof prepareModel>>,
  threads: readonly number[],
  s: PeersSettings,
  log: (l: string) => void,
) {
  const { modelDir, loaded, train, test, trainCodes, testCodes } = prepared;
  const { spec, weights } = loaded.saved;
  const training = [];
  const scoring = [];
  for (let p = 0; p < s.pairs; p++) {
    const ours = await fedflowTraining(spec, weights, loaded.encoder, train, s.epochs);
    const theirs = Object.fromEntries(
      threads.map((t) => [
        t,
        runPeer<PeerTrain>(
          ['train', modelDir, trainCodes, '--epochs', String(s.epochs)].concat([
            '--threads',
            String(t),
          ]),
        ).epochs,
      ]),
    );
    training.push({ fedflow: ours, peer: theirs });
    log(
      `peers: training pair ${p + 1}: fedflow ${Math.round(fps(ours))} flows/s, peer ${threads.map((t) => `${t} thread(s) ${Math.round(fps(theirs[t]!))}`).join(', ')}`,
    );
    const ourScoring = fedflowScoring(loaded.model, loaded.encoder, test, 3);
    const theirScoring = Object.fromEntries(
      threads.map((t) => [
        t,
        runPeer<{ flowsPerSecond: number[] }>([
          'score',
          modelDir,
          testCodes,
          '--threads',
          String(t),
        ]).flowsPerSecond,
      ]),
    );
    scoring.push({ fedflow: ourScoring, peer: theirScoring });
    log(
      `peers: scoring pair ${p + 1}: fedflow ${Math.round(median(ourScoring))} flows/s, peer ${threads.map((t) => `${t} thread(s) ${Math.round(median(theirScoring[t]!))}`).join(', ')}`,
    );
  }
  return { training, scoring };
}

const fps = (epochs: readonly EpochFigure[]) => median(epochs.map((e) => e.flowsPerSecond));

function summariseTraining(
  pairs: { fedflow: EpochFigure[]; peer: Record<string, EpochFigure[]> }[],
  threads: number[],
  rows: number,
  epochs: number,
) {
  const byThreads = <T>(f: (t: number) => T) => Object.fromEntries(threads.map((t) => [t, f(t)]));
  const all = (pick: (p: (typeof pairs)[number]) => EpochFigure[]) =>
    pairs.flatMap((p) => pick(p).map((e) => e.flowsPerSecond));
  return {
    rows,
    epochs,
    batchSize: 512,
    pairs: pairs.map((p) => ({
      fedflowFlowsPerSecond: p.fedflow.map((e) => e.flowsPerSecond),
      peerFlowsPerSecond: byThreads((t) => p.peer[t]!.map((e) => e.flowsPerSecond)),
      fedflowLoss: p.fedflow.map((e) => e.trainLoss),
      peerLoss: byThreads((t) => p.peer[t]!.map((e) => e.trainLoss)),
      ratio: byThreads((t) => fps(p.fedflow) / fps(p.peer[t]!)),
    })),
    medianFlowsPerSecond: {
      fedflow: median(all((p) => p.fedflow)),
      peer: byThreads((t) => median(all((p) => p.peer[t]!))),
    },
    medianRatio: byThreads((t) => median(pairs.map((p) => fps(p.fedflow) / fps(p.peer[t]!)))),
  };
}

function summariseScoring(
  pairs: { fedflow: number[]; peer: Record<string, number[]> }[],
  threads: number[],
  rows: number,
) {
  const byThreads = <T>(f: (t: number) => T) => Object.fromEntries(threads.map((t) => [t, f(t)]));
  return {
    rows,
    batch: 2048,
    pairs: pairs.map((p) => ({
      ...p,
      ratio: byThreads((t) => median(p.fedflow) / median(p.peer[t]!)),
    })),
    medianFlowsPerSecond: {
      fedflow: median(pairs.flatMap((p) => p.fedflow)),
      peer: byThreads((t) => median(pairs.flatMap((p) => p.peer[t]!))),
    },
    medianRatio: byThreads((t) => median(pairs.map((p) => median(p.fedflow) / median(p.peer[t]!)))),
  };
}
