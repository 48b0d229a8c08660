/**
 * Site calibration measured on held-out flows: a model's thresholds re-placed with
 * `calibrate` on one file's normal rows, and the FPR that the model's own thresholds and the
 * re-placed ones give on another file's normal rows. Shared by the NSL-KDD and IoT-23 benches.
 */
import { calibrateModel } from '../client/detect/calibrate-model.js';
import { scoreLabelledFlows } from '../client/detect/evaluate-model.js';
import type { LoadedModel } from '../client/detect/loaded-model.js';
import type { FlowFormat } from '../shared/flows/formats.js';
import { fprInterval } from '../shared/stats/thresholds.js';
import { spreadOf } from './federation/seed-summary.js';

export interface HeldOutCalibration {
  readonly calibrationFlows: number;
  readonly heldOutNormals: number;
  /** Observed FPR on the held-out normals at each of the model's own thresholds. */
  readonly observedFprOwn: number[];
  /** ...and at each threshold `calibrate` placed. */
  readonly observedFprCalibrated: number[];
}

export async function heldOutCalibration(
  loaded: LoadedModel,
  files: { readonly calibrate: string; readonly heldOut: string },
  format: FlowFormat,
  targetFprs: readonly number[],
): Promise<HeldOutCalibration> {
  const calibration = await calibrateModel(loaded, {
    files: [files.calibrate],
    format,
    read: {},
    onlyLabel: 'normal',
    targetFprs,
    importanceSamples: 0,
  });
  const scored = await scoreLabelledFlows(loaded, [files.heldOut], format, {}, {});
  const held = scored.scores.filter((_, i) => scored.categories[i] === 'normal');
  const fprAt = (thresholds: readonly { threshold: number }[]) =>
    thresholds.map((t) => held.filter((s) => s > t.threshold).length / held.length);
  return {
    calibrationFlows: calibration.flows,
    heldOutNormals: held.length,
    observedFprOwn: fprAt(loaded.saved.thresholds?.targets ?? []),
    observedFprCalibrated: fprAt(calibration.thresholds.targets),
  };
}

/**
 * What a calibration bench reports over its seeds: the spread of the observed FPRs at the
 * model's own thresholds and at the re-placed ones, and how far a held-out FPR may fall from
 * its target by chance alone for this many normals.
 */
export function calibrationSummary(
  runs: readonly HeldOutCalibration[],
  targetFprs: readonly number[],
) {
  const n = runs[0]?.heldOutNormals ?? 0;
  return {
    targets: { withinFactorOfTarget: 1.5 },
    targetFprs,
    observedFprAtOwnThresholds: targetFprs.map((_, t) =>
      spreadOf(runs, (r) => r.observedFprOwn[t]!),
    ),
    observedFprAfterCalibrate: targetFprs.map((_, t) =>
      spreadOf(runs, (r) => r.observedFprCalibrated[t]!),
    ),
    chanceInterval: targetFprs.map((fpr) => {
      const { low, high } = fprInterval(Math.round(fpr * n), n);
      return { targetFpr: fpr, heldOutNormals: n, low, high };
    }),
  };
}
