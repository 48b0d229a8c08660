/**
 * The GRU's forward pass over a batch of histories, in tf.js ops so autograd gives its
 * gradient: each earlier flow embedded by a dense layer on its multi-hot row, then the cell
 * run over the steps oldest first. Empty slots (a host with fewer earlier flows) come first
 * and leave the state as it was, so a flow without history is predicted from the zero state:
 * the output layer's bias alone, a learned marginal.
 */
import { NO_FLOW } from '../../encoding/host-history.js';
import { tf } from '../../runtime/tf.js';
import type { FlowHistory } from '../model-rows.js';

export interface GruWeights {
  readonly embedKernel: tf.Tensor2D;
  readonly embedBias: tf.Tensor1D;
  readonly kernel: tf.Tensor2D;
  readonly recurrent: tf.Tensor2D;
  readonly bias: tf.Tensor1D;
  readonly recurrentBias: tf.Tensor1D;
}

/** The history as the model reads it: dense multi-hot rows of every slot and which hold a flow. */
interface HistoryInput {
  /** [count * steps x width], slot-major within a row. */
  readonly multiHot: Float32Array;
  /** [count * steps]: 1 where a slot holds a flow. */
  readonly mask: Float32Array;
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
  const multiHot = new Float32Array(count * steps * width);
  const mask = new Float32Array(count * steps);
  let firstStep = steps;
  for (let slot = 0; slot < count * steps; slot++) {
    const at = slot * fields;
    if (codes[at] === NO_FLOW) continue;
    mask[slot] = 1;
    firstStep = Math.min(firstStep, slot % steps);
    for (let f = 0; f < fields; f++) multiHot[slot * width + offsets[f]! + codes[at + f]!] = 1;
  }
  return { multiHot, mask, firstStep };
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
  const width = w.embedKernel.shape[0];
  const { steps } = history;
  const input = historyInput(history, count, offsets, width);
  if (input.firstStep === steps) return h;
  const x = tf.tensor2d(input.multiHot, [count * steps, width]);
  const embedded = tf.tanh(tf.add(tf.matMul(x, w.embedKernel), w.embedBias));
  // Every step's input part of the gates in one product: [count, steps, 3 * state].
  const gatesIn = tf.reshape(tf.add(tf.matMul(embedded, w.kernel), w.bias), [
    count,
    steps,
    3 * state,
  ]);
  const mask = tf.tensor2d(input.mask, [count, steps]);
  for (let t = input.firstStep; t < steps; t++) {
    const xt = tf.reshape(tf.slice(gatesIn, [0, t, 0], [count, 1, 3 * state]), [count, 3 * state]);
    const ht = tf.add(tf.matMul(h, w.recurrent), w.recurrentBias);
    const [xz, xr, xn] = tf.split(xt, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const [hz, hr, hn] = tf.split(ht, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const z = tf.sigmoid(tf.add(xz, hz));
    const r = tf.sigmoid(tf.add(xr, hr));
    const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
    // h' = (1 - z) * n + z * h, taken only where this step holds a flow.
    const step = tf.mul(tf.sub(1, z), tf.sub(n, h));
    const m = tf.slice(mask, [0, t], [count, 1]);
    h = tf.add(h, tf.mul(m, step)) as tf.Tensor2D;
  }
  return h;
}
