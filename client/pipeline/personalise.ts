/**
 * Personalisation after a federation: a site fine-tunes the final global model on its own
 * flows (the global encoder kept) and re-places the thresholds on its own calibration split.
 */
import { loadModelConfig, type ModelConfig } from '../../shared/config/model-config.js';
import type { GlobalModel } from '../../shared/federation/global-model.js';
import type { FlowSelection } from '../../shared/flows/pipeline.js';
import type { BackendReport } from '../../shared/runtime/backend.js';
import type { TrainingHooks } from '../trainer/training-hooks.js';
import { type SiteTrainingResult, trainSiteModel } from './train-site-model.js';

export interface PersonaliseSettings {
  readonly selection: FlowSelection;
  /** The site's own training settings: split shares, seed, batch size, learning rate, patience. */
  readonly training: ModelConfig['training'];
  /** Most fine-tuning epochs. */
  readonly epochs: number;
}

/**
 * Fine-tunes `global` (saved at `globalDir`, recorded as the origin) and saves the result to
 * `outDir`; the global model's directory is left as it is.
 */
export function personaliseGlobalModel(
  global: GlobalModel,
  globalDir: string,
  settings: PersonaliseSettings,
  outDir: string,
  backend: BackendReport,
  hooks: TrainingHooks = {},
): Promise<SiteTrainingResult> {
  return trainSiteModel(
    settings.selection,
    personalisationConfig(global, settings),
    outDir,
    backend,
    hooks,
    {
      spec: global.spec,
      weights: global.weights,
      source: { version: global.version, dir: globalDir },
    },
  );
}

/** The site's training settings; thresholds at the same target FPRs as the federation's. */
export function personalisationConfig(
  global: GlobalModel,
  settings: PersonaliseSettings,
): ModelConfig {
  const defaults = loadModelConfig().getProperties();
  const targetFprs = global.thresholds?.targets.map((t) => t.fpr) ?? defaults.thresholds.targetFprs;
  return {
    ...defaults,
    training: { ...settings.training, epochs: settings.epochs },
    thresholds: { targetFprs },
  };
}
