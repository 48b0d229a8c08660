/**
 * The server update of a strategy: w' = w + step(combined update, state). Pure: the state
 * passed in is read, never written; the next state is new.
 */
import type { ServerState } from '../strategy.js';

export interface ServerStep {
  readonly weights: Float32Array;
  /** null for optimisers without state. */
  readonly state: ServerState | null;
}

/** `update` is the round's combined update in float64; `state` is null on the first round. */
export type ServerOptimizer = (
  global: Float32Array,
  update: Float64Array,
  state: ServerState | null,
) => ServerStep;

/** w + learningRate * step, rounded once to float32. */
export function applyStep(
  global: Float32Array,
  step: Float64Array,
  learningRate: number,
): Float32Array {
  const weights = new Float32Array(global.length);
  for (let i = 0; i < weights.length; i++) weights[i] = global[i]! + learningRate * step[i]!;
  return weights;
}

/**
 * A state slot of the model's length, or null on the first round. A state written by another
 * optimiser is refused rather than its moments silently restarted or misread (FedAdam's and
 * FedYogi's slots share names, not meaning).
 */
export function readSlot(
  state: ServerState | null,
  slot: string,
  length: number,
  optimizer: string,
): Float32Array | null {
  if (state === null) return null;
  if (state.optimizer !== optimizer)
    throw new Error(
      `the server state was written by ${state.optimizer}; ${optimizer} cannot continue from it (start a new federation, or configure ${state.optimizer} again)`,
    );
  const values = state.slots[slot];
  if (values?.length !== length) {
    const found = values ? `${values.length} values` : 'none';
    throw new Error(
      `${optimizer} needs server state slot '${slot}' of ${length} values, found ${found}`,
    );
  }
  return values;
}

export function nextStep(state: ServerState | null): number {
  return (state?.step ?? 0) + 1;
}
