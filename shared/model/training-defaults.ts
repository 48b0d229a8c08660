/**
 * Default local training settings: plain numbers, so the config schema (shared/config) can
 * offer them without importing the trainer that uses them (client/trainer).
 */
import type { MixtureObjective } from './model-spec.js';

export const TRAINING_DEFAULTS = {
  epochs: 80,
  batchSize: 512,
  learningRate: 0.004,
  klWarmupEpochs: 5,
  patience: 6,
  seed: 1,
  mixtureObjective: 'exact' as MixtureObjective,
};
