/**
 * One site's whole local training job: read and encode its flows, train the VAE, place
 * thresholds on held-out normal flows, and save a model directory.
 */
import * as tf from '@tensorflow/tfjs';
import { architectureFromConfig, type ModelConfig } from '../../shared/config/model-config.js';
import { createModel } from '../../shared/model/create-model.js';
import { saveModelDir } from '../../shared/model/model-dir.js';
import { scoreTable } from '../../shared/model/score-table.js';
import type { ThresholdSet } from '../../shared/model/thresholds.js';
import { CategoricalVae, type MixtureObjective } from '../../shared/model/vae.js';
import type { BackendReport } from '../../shared/runtime/backend.js';
import { thresholdsAtFpr } from '../../shared/stats/thresholds.js';
import {
  type TrainingHooks,
  type TrainingOptions,
  type TrainingResult,
  trainLocal,
} from '../trainer/local-trainer.js';
import { type FlowSelection, type LocalData, prepareLocalData } from './training-set.js';

export interface SiteTrainingResult {
  readonly data: Omit<LocalData, 'train' | 'validation' | 'calibration'> & {
    trainRows: number;
    validationRows: number;
    calibrationRows: number;
  };
  readonly training: TrainingResult;
  readonly thresholds: ThresholdSet;
  /** Targets the calibration split was too small to resolve (threshold = its highest score). */
  readonly unresolvedTargets: number[];
}

/** Training options from config, with latent-dependent defaults filled in. */
export function trainingOptions(config: ModelConfig): TrainingOptions & ModelConfig['training'] {
  const { training, model } = config;
  return {
    ...training,
    klWarmupEpochs: training.klWarmupEpochs ?? (model.latent === 'gaussian' ? 5 : 0),
    mixtureObjective: model.mixtureObjective as MixtureObjective,
  };
}

export async function trainSiteModel(
  selection: FlowSelection,
  config: ModelConfig,
  outDir: string,
  backend: BackendReport,
  hooks: TrainingHooks & { onDataReady?(data: LocalData): void } = {},
): Promise<SiteTrainingResult> {
  const t = trainingOptions(config);
  const data = await prepareLocalData(selection, config.encoder, {
    validation: t.validationShare,
    calibration: t.calibrationShare,
    seed: t.seed,
  });
  hooks.onDataReady?.(data);
  const fresh = createModel(
    data.schema,
    data.encoderSpec,
    architectureFromConfig(config.model),
    t.seed,
  );
  const model = new CategoricalVae(fresh.spec, fresh.weights);
  try {
    const training = await trainLocal(model, data.encoder, data.train, data.validation, t, hooks);
    const calibrationScores = scoreTable(model, data.encoder, data.calibration, {
      importanceSamples: config.scoring.importanceSamples,
      seed: t.seed,
    });
    const placed = thresholdsAtFpr(calibrationScores, config.thresholds.targetFprs);
    const thresholds: ThresholdSet = {
      source: 'local-calibration',
      calibrationFlows: calibrationScores.length,
      targets: placed.map((p) => ({ fpr: p.targetFpr, threshold: p.threshold })),
    };
    saveModelDir(outDir, {
      spec: fresh.spec,
      weights: model.getWeights(),
      thresholds,
      metadata: {
        createdBy: 'fedflow train',
        backend: backend.name,
        tfjsVersion: tf.version.tfjs,
        data: {
          files: selection.files,
          format: selection.format,
          onlyLabel: selection.onlyLabel,
          ...data.summary,
        },
        training: {
          ...t,
          bestEpoch: training.bestEpoch,
          stoppedEarly: training.stoppedEarly,
          history: training.history,
        },
        scoring: config.scoring,
      },
    });
    const { train, validation, calibration, ...rest } = data;
    return {
      data: {
        ...rest,
        trainRows: train.length,
        validationRows: validation.length,
        calibrationRows: calibration.length,
      },
      training,
      thresholds,
      unresolvedTargets: placed.filter((p) => p.belowResolution).map((p) => p.targetFpr),
    };
  } finally {
    model.dispose();
  }
}
