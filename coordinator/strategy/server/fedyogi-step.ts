/**
 * FedYogi's server update (Reddi et al. 2021): v = v - (1 - b2) u^2 sign(v - u^2). v grows
 * as Adam's does, but when updates turn small it shrinks by (1 - b2) u^2, not (1 - b2) v, so
 * the effective step grows gently. From v > 0 it stays above b2 v, so never reaches 0.
 */
import { type AdaptiveSettings, adaptiveStep, type VarianceRule } from './adaptive-step.js';
import type { ServerOptimizer } from './server-optimizer.js';

export const yogiVariance: VarianceRule = (v, squared, beta2) =>
  v - (1 - beta2) * squared * Math.sign(v - squared);

/** @example fedYogiStep({ learningRate: 0.1, beta1: 0.9, beta2: 0.99, tau: 1e-3 }) */
export function fedYogiStep(settings: AdaptiveSettings): ServerOptimizer {
  return adaptiveStep('fedyogi', settings, yogiVariance);
}
