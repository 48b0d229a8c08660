/**
 * Checks that the PyTorch peer is fedflow's model: on the same model directory and the same
 * encoded rows, every score and per-field NLL, and a batch's training loss and its gradient
 * agree within `TOLERANCE` (the optimiser is Adam with tfjs's settings on both sides). A peer that computed something else would not be a peer.
 */
import { join } from 'node:path';
import type { LoadedModel } from '../../client/detect/loaded-model.js';
import type { FlowTable } from '../../shared/encoding/flow-table.js';
import { readFloats, writeCodes } from './codes-file.js';
import { fedflowGradient, fedflowScoresAndFields } from './fedflow-side.js';
import { runPeer } from './python-peer.js';

export const TOLERANCE = 1e-4;

export interface PeerMatch {
  readonly rows: number;
  readonly tolerance: number;
  readonly maxScoreDiff: number;
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
  const maxScoreDiff = maxAbsDiff(ours, theirs, 0, table.length);
  const maxFieldNllDiff = maxAbsDiff(ours, theirs, table.length, ours.length);

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
  const lossDiff = Math.abs(ourGradient.loss - peer.loss);
  const gradient = ourGradient.gradient;
  const maxGradientDiff = maxAbsDiff(gradient, readFloats(gradientOut), 0, gradient.length);
  const worst = Math.max(maxScoreDiff, maxFieldNllDiff, lossDiff, maxGradientDiff);
  return {
    rows: table.length,
    tolerance: TOLERANCE,
    maxScoreDiff,
    maxFieldNllDiff,
    gradientRows: peer.rows,
    lossDiff,
    maxGradientDiff,
    matches: worst <= TOLERANCE,
  };
}

function maxAbsDiff(a: Float32Array, b: Float32Array, from: number, to: number): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = from; i < to; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}
