/**
 * Checks that the PyTorch peer is fedflow's model: on the same model directory and the same
 * encoded rows, every score and per-field NLL, and a batch's training loss and its gradient
 * agree within `TOLERANCE` of their size (the optimiser is Adam with tfjs's settings on both
 * sides). A peer that computed something else would not be a peer: a different formula moves
 * a score by whole percents, float32 summed in another order by a few parts in 10^7.
 */
import { join } from 'node:path';
import type { LoadedModel } from '../../client/detect/loaded-model.js';
import type { FlowTable } from '../../shared/encoding/flow-table.js';
import { readFloats, writeCodes } from './codes-file.js';
import { fedflowGradient, fedflowScoresAndFields } from './fedflow-side.js';
import { runPeer } from './python-peer.js';

/**
 * Relative to the larger of 1 and the value: float32 agrees to a number of digits, not of
 * nats, so a score of 40 nats may differ 40 times more in absolute terms than one of 1.
 */
export const TOLERANCE = 1e-4;

export interface PeerMatch {
  readonly rows: number;
  readonly tolerance: number;
  /** The largest difference of a score, scaled as `TOLERANCE` is (so also for those below). */
  readonly maxScoreDiff: number;
  /** Where it is, with both values: what a failure has to show to be looked into. */
  readonly worstScore: { readonly row: number; readonly fedflow: number; readonly peer: number };
  readonly maxFieldNllDiff: number;
  readonly gradientRows: number;
  readonly lossDiff: number;
  readonly maxGradientDiff: number;
  readonly matches: boolean;
}

/** Runs both sides on `table` (codes written to `work`) and compares. */
export function checkPeerMatches(
  modelDir: string,
  loaded: LoadedModel,
  table: FlowTable,
  work: string,
  gradientRows = 512,
): PeerMatch {
  const codes = join(work, 'check-codes.u16');
  writeCodes(codes, table);
  const peerOut = join(work, 'check-peer.f32');
  runPeer(['check', modelDir, codes, peerOut]);
  const ours = fedflowScoresAndFields(loaded.model, loaded.encoder, table);
  const theirs = readFloats(peerOut);
  if (theirs.length !== ours.length)
    throw new Error(`the peer returned ${theirs.length} values, fedflow ${ours.length}`);
  const scores = largestDiff(ours, theirs, 0, table.length);
  const maxFieldNllDiff = largestDiff(ours, theirs, table.length, ours.length).diff;

  const gradientOut = join(work, 'gradient-peer.f32');
  const peer = runPeer<{ loss: number; rows: number }>([
    'grad',
    modelDir,
    codes,
    gradientOut,
    '--batch',
    String(gradientRows),
  ]);
  const { spec, weights } = loaded.saved;
  const ourGradient = fedflowGradient(spec, weights, loaded.encoder, table, gradientRows);
  const lossDiff = scaledDiff(ourGradient.loss, peer.loss);
  const gradient = ourGradient.gradient;
  const maxGradientDiff = largestDiff(gradient, readFloats(gradientOut), 0, gradient.length).diff;
  const worst = Math.max(scores.diff, maxFieldNllDiff, lossDiff, maxGradientDiff);
  return {
    rows: table.length,
    tolerance: TOLERANCE,
    maxScoreDiff: scores.diff,
    worstScore: { row: scores.at, fedflow: ours[scores.at] ?? NaN, peer: theirs[scores.at] ?? NaN },
    maxFieldNllDiff,
    gradientRows: peer.rows,
    lossDiff,
    maxGradientDiff,
    matches: worst <= TOLERANCE,
  };
}

/** |a - b| over the larger of 1 and |b|: see TOLERANCE. */
export function scaledDiff(a: number, b: number): number {
  const diff = Math.abs(a - b) / Math.max(1, Math.abs(b));
  return Number.isNaN(diff) ? Number.POSITIVE_INFINITY : diff;
}

function largestDiff(a: Float32Array, b: Float32Array, from: number, to: number) {
  if (a.length !== b.length) return { diff: Number.POSITIVE_INFINITY, at: from };
  let diff = 0;
  let at = from;
  for (let i = from; i < to; i++) {
    const d = scaledDiff(a[i]!, b[i]!);
    if (d > diff) [diff, at] = [d, i];
  }
  return { diff, at };
}
