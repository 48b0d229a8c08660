/**
 * The adaptive server updates of Reddi et al. 2021 ("Adaptive Federated Optimization"), in
 * delta form (u points downhill): m = b1 m + (1 - b1) u; v = rule(v, u^2);
 * w' = w + eta * m / (sqrt(v) + tau), with m starting at 0 and v at tau^2 as in the paper.
 */
import { applyStep, nextStep, readSlot, type ServerOptimizer } from './server-optimizer.js';

export interface AdaptiveSettings {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly tau: number;
}

/** The second-moment update that tells FedAdam and FedYogi apart. */
export type VarianceRule = (variance: number, squared: number, beta2: number) => number;

export function adaptiveStep(
  name: string,
  s: AdaptiveSettings,
  rule: VarianceRule,
): ServerOptimizer {
  return (global, update, state) => {
    const m0 = readSlot(state, 'momentum', global.length, name);
    const v0 = readSlot(state, 'variance', global.length, name);
    const m = new Float64Array(global.length);
    const v = new Float64Array(global.length);
    const step = new Float64Array(global.length);
    for (let i = 0; i < step.length; i++) {
      const u = update[i]!;
      m[i] = s.beta1 * (m0?.[i] ?? 0) + (1 - s.beta1) * u;
      v[i] = rule(v0?.[i] ?? s.tau * s.tau, u * u, s.beta2);
      step[i] = m[i]! / (Math.sqrt(v[i]!) + s.tau);
    }
    const slots = { momentum: Float32Array.from(m), variance: Float32Array.from(v) };
    return {
      weights: applyStep(global, step, s.learningRate),
      state: { optimizer: name, step: nextStep(state), slots },
    };
  };
}
