/**
 * One site's whole local training job: read and encode its flows, train the VAE (from scratch,
 * or from a given model: see model-init.ts), place thresholds on held-out normal flows, and
 * save a model directory.
 */
import { type ModelConfig, modelFromConfig } from '../../shared/config/model-config.js';
import type { FlowSelection } from '../../shared/flows/pipeline.js';
import { type ComponentsInUse, componentsInUse } from '../../shared/model/components-in-use.js';
import { createDetector } from '../../shared/model/create-detector.js';
import { createModel } from '../../shared/model/create-model.js';
import { historySettingsFor } from '../../shared/model/gru/gru-layers.js';
import { saveModelDir } from '../../shared/model/model-dir.js';
import type { MixtureObjective } from '../../shared/model/model-spec.js';
import type { ThresholdSet } from '../../shared/model/thresholds.js';
import type { BackendReport } from '../../shared/runtime/backend.js';
import { type TrainingOptions, type TrainingResult, trainLocal } from '../trainer/local-trainer.js';
import type { TrainingHooks } from '../trainer/training-hooks.js';
import { prepareDataForSpec } from './fixed-encoder-data.js';
import { type ModelInit, type ModelOrigin, modelOrigin, startingWeights } from './model-init.js';
import { placeThresholds, siteModelMetadata } from './site-model-record.js';
import { type LocalData, prepareLocalData } from './training-set.js';

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
  /** Where training started from, when it was given a model (also in the saved metadata). */
  readonly origin: ModelOrigin | null;
  /** A discrete latent's components in use on the training rows; null for a Gaussian latent. */
  readonly componentsInUse: ComponentsInUse | null;
}

/**
 * Training options from config, with latent-dependent defaults filled in. The latent is the
 * given model's when there is one; continuing trained weights needs no KL warm-up.
 */
export function trainingOptions(
  config: ModelConfig,
  init?: ModelInit,
): TrainingOptions & ModelConfig['training'] {
  const { training } = config;
  const { kind, architecture } = init ? init.spec : modelFromConfig(config.model);
  const latent = architecture.latent;
  // A GAN has no KL term to warm up (and early stopping waits out a warm-up).
  const warmup =
    training.klWarmupEpochs ?? (latent.kind === 'gaussian' && kind !== 'alad-gan' ? 5 : 0);
  return {
    ...training,
    klWarmupEpochs: init?.weights ? 0 : warmup,
    mixtureObjective:
      latent.kind === 'mixture'
        ? (latent.objective ?? 'exact')
        : (config.model.mixtureObjective as MixtureObjective),
  };
}

/**
 * Trains, calibrates and saves one site's model. Without `init` the site fits its own encoder
 * and starts from fresh weights of the configured architecture; with it, see {@link ModelInit}.
 * Either way early stopping uses the site's validation split and thresholds are placed on its
 * calibration split (source 'local-calibration').
 */
export async function trainSiteModel(
  selection: FlowSelection,
  config: ModelConfig,
  outDir: string,
  backend: BackendReport,
  hooks: TrainingHooks & { onDataReady?(data: LocalData): void } = {},
  init?: ModelInit,
): Promise<SiteTrainingResult> {
  const t = trainingOptions(config, init);
  const shares = { validation: t.validationShare, calibration: t.calibrationShare, seed: t.seed };
  const configured = modelFromConfig(config.model);
  const history = historySettingsFor(configured.kind, configured.architecture);
  const data = init
    ? await prepareDataForSpec(selection, init.spec, shares)
    : await prepareLocalData(selection, config.encoder, shares, history);
  hooks.onDataReady?.(data);
  const start = init
    ? { spec: init.spec, weights: startingWeights(init, t.seed) }
    : createModel(data.schema, data.encoderSpec, configured.architecture, t.seed, configured.kind);
  const model = createDetector(start.spec, start.weights);
  try {
    const training = await trainLocal(model, data.encoder, data.train, data.validation, t, hooks);
    const placed = placeThresholds(model, data, config, t.seed);
    const origin = init ? modelOrigin(init, training.history.length, data.train.length) : null;
    const used = componentsInUse(model, data.encoder, data.train);
    saveModelDir(outDir, {
      spec: start.spec,
      weights: model.getWeights(),
      thresholds: placed.thresholds,
      metadata: siteModelMetadata({
        selection,
        data,
        config,
        options: t,
        training,
        backend,
        origin,
        componentsInUse: used,
      }),
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
      ...placed,
      origin,
      componentsInUse: used,
    };
  } finally {
    model.dispose();
  }
}
