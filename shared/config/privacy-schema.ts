/**
 * The coordinator's `privacy` settings: client-level differential privacy of the training
 * rounds (DP-FedAvg: each site's delta clipped to clipNorm, Gaussian noise of
 * noiseMultiplier x clipNorm on their sum), and the budget that stops training.
 */
import { positive, within } from './config-formats.js';

export const privacyConfigSchema = {
  noiseMultiplier: {
    doc: 'Gaussian noise on the sum of clipped deltas, as a multiple of clipNorm (sigma); 0 = no differential privacy',
    format: within('privacy.noiseMultiplier', 0, 1_000, false),
    default: 0,
  },
  clipNorm: {
    doc: "Every site's delta is scaled down to at most this L2 norm before the noise is added (C)",
    format: positive('privacy.clipNorm', false),
    default: 10,
  },
  delta: {
    doc: 'The delta of the (epsilon, delta) reported; well below 1 / the number of sites',
    format: within('privacy.delta', 1e-12, 0.1, false),
    default: 1e-5,
  },
  epsilonBudget: {
    doc: 'Training stops (and calibration runs) before a round would take the spent epsilon past this; 0 = no budget',
    format: within('privacy.epsilonBudget', 0, 1e6, false),
    default: 0,
  },
};
