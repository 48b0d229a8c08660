/** FedAvgM's server update (Hsu et al. 2019): m = beta1 * m + u; w' = w + eta * m. */
import { applyStep, nextStep, readSlot, type ServerOptimizer } from './server-optimizer.js';

/** @example fedAvgMStep(1, 0.9) // m starts at 0, so round 1 is plain FedAvg */
export function fedAvgMStep(learningRate: number, beta1: number): ServerOptimizer {
  return (global, update, state) => {
    const previous = readSlot(state, 'momentum', global.length, 'fedavgm');
    const momentum = new Float64Array(global.length);
    for (let i = 0; i < momentum.length; i++) {
      momentum[i] = beta1 * (previous?.[i] ?? 0) + update[i]!;
    }
    return {
      weights: applyStep(global, momentum, learningRate),
      state: {
        optimizer: 'fedavgm',
        step: nextStep(state),
        slots: { momentum: Float32Array.from(momentum) },
      },
    };
  };
}
