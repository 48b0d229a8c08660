/**
 * What a site's trained model carries beside its weights: thresholds placed on its own
 * calibration split, and the metadata saying how it was made (data, training, origin).
 */
import type { ModelConfig } from '../../shared/config/model-config.js';
import type { FlowSelection } from '../../shared/flows/pipeline.js';
import type { ComponentsInUse } from '../../shared/model/components-in-use.js';
import type { DetectorModel } from '../../shared/model/detector-model.js';
import { scoreTable } from '../../shared/model/score-table.js';
import type { ThresholdSet } from '../../shared/model/thresholds.js';
import type { BackendReport } from '../../shared/runtime/backend.js';
import { tf } from '../../shared/runtime/tf.js';
import { thresholdsAtFpr } from '../../shared/stats/thresholds.js';
import type { TrainingOptions, TrainingResult } from '../trainer/local-trainer.js';
import type { ModelOrigin } from './model-init.js';
import type { LocalData } from './training-set.js';

/** Thresholds at the configured FPRs: quantiles of the calibration split's scores. */
export function placeThresholds(
  model: DetectorModel,
  data: LocalData,
  config: ModelConfig,
  seed: number,
): { thresholds: ThresholdSet; unresolvedTargets: number[] } {
  const calibrationScores = scoreTable(model, data.encoder, data.calibration, {
    importanceSamples: config.scoring.importanceSamples,
    seed,
  });
  const placed = thresholdsAtFpr(calibrationScores, config.thresholds.targetFprs);
  return {
    thresholds: {
      source: 'local-calibration',
      calibrationFlows: calibrationScores.length,
      targets: placed.map((p) => ({ fpr: p.targetFpr, threshold: p.threshold })),
      importanceSamples: config.scoring.importanceSamples,
    },
    unresolvedTargets: placed.filter((p) => p.belowResolution).map((p) => p.targetFpr),
  };
}

export interface SiteModelFacts {
  readonly selection: FlowSelection;
  readonly data: LocalData;
  readonly config: ModelConfig;
  readonly options: TrainingOptions;
  readonly training: TrainingResult;
  readonly backend: BackendReport;
  /** Where training started, when from a given model; omitted from the metadata otherwise. */
  readonly origin: ModelOrigin | null;
  /** A discrete latent's components in use (components-in-use.ts); omitted when null. */
  readonly componentsInUse?: ComponentsInUse | null;
}

export function siteModelMetadata(facts: SiteModelFacts): Record<string, unknown> {
  const { selection, data, training } = facts;
  return {
    createdBy: 'fedflow train',
    backend: facts.backend.name,
    tfjsVersion: tf.version_core,
    ...(facts.origin ? { origin: facts.origin } : {}),
    data: {
      files: selection.files,
      format: selection.format,
      onlyLabel: selection.onlyLabel,
      ...data.summary,
    },
    training: {
      ...facts.options,
      bestEpoch: training.bestEpoch,
      stoppedEarly: training.stoppedEarly,
      history: training.history,
    },
    scoring: facts.config.scoring,
    ...(facts.componentsInUse ? { componentsInUse: facts.componentsInUse } : {}),
  };
}
