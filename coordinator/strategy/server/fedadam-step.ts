/** FedAdam's server update (Reddi et al. 2021): Adam's second moment, v = b2 v + (1 - b2) u^2. */
import { type AdaptiveSettings, adaptiveStep, type VarianceRule } from './adaptive-step.js';
import type { ServerOptimizer } from './server-optimizer.js';

export const adamVariance: VarianceRule = (v, squared, beta2) => beta2 * v + (1 - beta2) * squared;

/** @example fedAdamStep({ learningRate: 0.1, beta1: 0.9, beta2: 0.99, tau: 1e-3 }) */
export function fedAdamStep(settings: AdaptiveSettings): ServerOptimizer {
  return adaptiveStep('fedadam', settings, adamVariance);
}
