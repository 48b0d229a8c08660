/**
 * The GRU's forward pass over a batch of histories, in tf.js ops so autograd gives its
 * gradient: each earlier flow embedded by a dense layer on its multi-hot row (the multi-hot
 * kernel's sums of rows, not a dense matMul over mostly zeros), then the cell run over the
 * steps oldest first. Every product goes through dense.ts, whose gradient avoids the transposed
 * matMuls that are ~10x slower on wasm. Empty slots (a host with fewer earlier flows) come
 * first and leave the state as it was, so a flow without history is predicted from the zero
 * state: the output layer's bias alone, a learned marginal.
 */
import { NO_FLOW } from '../../encoding/host-history.js';
import { multiHotTimes, multiHotTransposeTimes } from '../../kernels/multi-hot-kernel.js';
import { tf } from '../../runtime/tf.js';
import { dense } from '../dense.js';
import type { FlowHistory, ModelRows } from '../model-rows.js';

export interface GruWeights {
  readonly embedKernel: tf.Tensor2D;
  readonly embedBias: tf.Tensor1D;
  readonly kernel: tf.Tensor2D;
  readonly recurrent: tf.Tensor2D;
  readonly bias: tf.Tensor1D;
  readonly recurrentBias: tf.Tensor1D;
}

/** The history as the cell reads it, step-major: step t's rows are rows t x count .. */
interface HistoryInput {
  /** Every slot as a multi-hot row (an empty slot as code 0 of each field: it is masked). */
  readonly slots: ModelRows;
  /** Per step, [count]: 1 where the row's slot holds a flow. */
  readonly masks: Float32Array[];
  /** The first step any row of the batch has a flow in (steps when none has). */
  readonly firstStep: number;
}

function historyInput(
  history: FlowHistory,
  count: number,
  offsets: Int32Array,
  width: number,
): HistoryInput {
  const { steps, codes } = history;
  const fields = offsets.length;
  const columns = new Int32Array(steps * count * fields);
  const masks = Array.from({ length: steps }, () => new Float32Array(count));
  let firstStep = steps;
  for (let r = 0; r < count; r++) {
    for (let t = 0; t < steps; t++) {
      const from = (r * steps + t) * fields;
      const to = (t * count + r) * fields;
      const real = codes[from] !== NO_FLOW;
      if (real) {
        masks[t]![r] = 1;
        if (t < firstStep) firstStep = t;
      }
      for (let f = 0; f < fields; f++)
        columns[to + f] = offsets[f]! + (real ? codes[from + f]! : 0);
    }
  }
  return { slots: { count: steps * count, fields, width, columns }, masks, firstStep };
}

/** tanh(X We + be) for multi-hot rows X, with its gradient for We and be only (X is data). */
function embed(rows: ModelRows, kernel: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  const cols = kernel.shape[1];
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [kernelIn, biasIn] = args as [tf.Tensor2D, tf.Tensor1D];
    const product = multiHotTimes(rows, kernelIn.dataSync() as Float32Array, cols);
    return {
      value: tf.add(tf.tensor2d(product, [rows.count, cols]), biasIn),
      gradFunc: (dy: tf.Tensor) => [
        tf.tensor2d(multiHotTransposeTimes(rows, dy.dataSync() as Float32Array, cols), [
          rows.width,
          cols,
        ]),
        tf.sum(dy, 0),
      ],
    };
  });
  return tf.tanh(op(kernel, bias) as tf.Tensor2D);
}

/**
 * The GRU's last state for each row, [count x state]: zeros for rows without history (and for
 * every row when `history` is absent). Call inside tf.tidy.
 */
export function finalState(
  w: GruWeights,
  history: FlowHistory | undefined,
  count: number,
  offsets: Int32Array,
): tf.Tensor2D {
  const state = w.recurrent.shape[0];
  let h = tf.zeros([count, state]) as tf.Tensor2D;
  if (!history || count === 0) return h;
  const { steps } = history;
  const input = historyInput(history, count, offsets, w.embedKernel.shape[0]);
  if (input.firstStep === steps) return h;
  const embedded = embed(input.slots, w.embedKernel, w.embedBias);
  // Every step's input part of the gates in one product, then one [count x 3 state] per step.
  const gatesIn = tf.split(dense(embedded, w.kernel, w.bias, true), steps, 0) as tf.Tensor2D[];
  for (let t = input.firstStep; t < steps; t++) {
    const ht = dense(h, w.recurrent, w.recurrentBias, true);
    const [xz, xr, xn] = tf.split(gatesIn[t]!, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const [hz, hr, hn] = tf.split(ht, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const z = tf.sigmoid(tf.add(xz, hz));
    const r = tf.sigmoid(tf.add(xr, hr));
    const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
    // h' = (1 - z) * n + z * h, taken only where this step holds a flow.
    const step = tf.mul(tf.sub(1, z), tf.sub(n, h));
    const m = tf.tensor2d(input.masks[t]!, [count, 1]);
    h = tf.add(h, tf.mul(m, step)) as tf.Tensor2D;
  }
  return h;
}
