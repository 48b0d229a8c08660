/** FedAvg's server update (McMahan et al. 2017, delta form): w' = w + eta * u, no state. */
import { applyStep, type ServerOptimizer } from './server-optimizer.js';

/** @example fedAvgStep(1)(global, update, null).weights // global + update */
export function fedAvgStep(learningRate: number): ServerOptimizer {
  return (global, update) => ({ weights: applyStep(global, update, learningRate), state: null });
}
