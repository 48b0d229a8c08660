/**
 * Site calibration: re-places a model's thresholds on a site's own recent normal flows, without
 * retraining. Shared thresholds (or the training site's) need not hold on another site's traffic;
 * these are quantiles of this site's scores, read through the same pipeline scoring uses.
 */
import type { FlowFormat } from '../../shared/flows/formats.js';
import type { ReadOptions } from '../../shared/flows/readers.js';
import type { ThresholdSet } from '../../shared/model/thresholds.js';
import { type ThresholdAtFpr, thresholdsAtFpr } from '../../shared/stats/thresholds.js';
import { labelAt } from './encoded-batch.js';
import type { LoadedModel } from './loaded-model.js';
import { type ScoringProgress, scoreFlowFiles } from './score-flows.js';

export interface CalibrationRequest extends ScoringProgress {
  readonly files: readonly string[];
  readonly format: FlowFormat;
  readonly read: ReadOptions;
  /** Calibrate only on rows with this label (labelled files); null = every row is normal. */
  readonly onlyLabel: string | null;
  readonly targetFprs: readonly number[];
  /** The score the thresholds are placed on (0 = the ELBO). */
  readonly importanceSamples: number;
}

export interface Calibration {
  readonly thresholds: ThresholdSet;
  readonly placed: readonly ThresholdAtFpr[];
  readonly flows: number;
  readonly badRows: number;
}

export async function calibrateModel(
  loaded: LoadedModel,
  request: CalibrationRequest,
): Promise<Calibration> {
  const scores: number[] = [];
  const summary = await scoreFlowFiles(
    loaded,
    request.files,
    request.format,
    request.read,
    { importanceSamples: request.importanceSamples, seed: 1, onScored: request.onScored },
    ({ batch, result }) => {
      for (let r = 0; r < batch.count; r++)
        if (request.onlyLabel === null || labelAt(batch, r) === request.onlyLabel)
          scores.push(result.scores[r]!);
    },
  );
  if (scores.length === 0) {
    const which = request.onlyLabel === null ? '' : ` with label '${request.onlyLabel}'`;
    throw new Error(`no flows${which} to calibrate on in ${request.files.join(', ')}`);
  }
  const placed = thresholdsAtFpr(scores, request.targetFprs);
  return {
    thresholds: {
      source: 'site-calibration',
      calibrationFlows: scores.length,
      targets: placed.map((p) => ({ fpr: p.targetFpr, threshold: p.threshold })),
      importanceSamples: request.importanceSamples,
      placedOn: { files: [...request.files], at: new Date().toISOString() },
    },
    placed,
    flows: scores.length,
    badRows: summary.badRows,
  };
}
