/**
 * The GRU's forward pass over a batch of histories, in tf.js ops so autograd gives its
 * gradient: each earlier flow embedded by a dense layer on its multi-hot row (the multi-hot
 * kernel's sums of rows, not a dense matMul over mostly zeros), then the cell run over the
 * steps oldest first. Every product goes through dense.ts, whose gradient avoids the transposed
 * matMuls that are ~10x slower on wasm, and each gate has its own products: splitting one
 * [count x 3 state] product into gates (tf.split) cost 150 of 190 ms a 2,048-row batch there. Empty slots (a host with fewer earlier flows) come
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

/** The history as the cell reads it: per step, that step's slot of every row. */
interface HistoryInput {
  /** Per step, each row's slot as a multi-hot row (an empty slot as code 0 of each field). */
  readonly steps: ModelRows[];
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
  const columns = Array.from({ length: steps }, () => new Int32Array(count * fields));
  const masks = Array.from({ length: steps }, () => new Float32Array(count));
  let firstStep = steps;
  for (let r = 0; r < count; r++) {
    for (let t = 0; t < steps; t++) {
      const from = (r * steps + t) * fields;
      const real = codes[from] !== NO_FLOW;
      if (real) {
        masks[t]![r] = 1;
        if (t < firstStep) firstStep = t;
      }
      const out = columns[t]!;
      for (let f = 0; f < fields; f++)
        out[r * fields + f] = offsets[f]! + (real ? codes[from + f]! : 0);
    }
  }
  return {
    steps: columns.map((c) => ({ count, fields, width, columns: c })),
    masks,
    firstStep,
  };
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

/** One gate's weights: input kernel and bias, recurrent kernel and bias. */
interface Gate {
  readonly w: tf.Tensor2D;
  readonly b: tf.Tensor1D;
  readonly u: tf.Tensor2D;
  readonly ub: tf.Tensor1D;
}

/** The z, r and n gates' weights, cut once per pass from the manifest's stacked tensors. */
function gates(w: GruWeights, state: number): [Gate, Gate, Gate] {
  const cut = (g: number): Gate => ({
    w: tf.slice(w.kernel, [0, g * state], [-1, state]),
    b: tf.slice(w.bias, [g * state], [state]),
    u: tf.slice(w.recurrent, [0, g * state], [-1, state]),
    ub: tf.slice(w.recurrentBias, [g * state], [state]),
  });
  return [cut(0), cut(1), cut(2)];
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
  const input = historyInput(history, count, offsets, w.embedKernel.shape[0]);
  if (input.firstStep === history.steps) return h;
  const [z, r, n] = gates(w, state);
  const part = (x: tf.Tensor2D, g: Gate, hIn: tf.Tensor2D) => [
    dense(x, g.w, g.b, true),
    dense(hIn, g.u, g.ub, true),
  ];
  for (let t = input.firstStep; t < history.steps; t++) {
    const x = embed(input.steps[t]!, w.embedKernel, w.embedBias);
    const [xz, hz] = part(x, z, h);
    const [xr, hr] = part(x, r, h);
    const [xn, hn] = part(x, n, h);
    const zt = tf.sigmoid(tf.add(xz!, hz!));
    const rt = tf.sigmoid(tf.add(xr!, hr!));
    const nt = tf.tanh(tf.add(xn!, tf.mul(rt, hn!)));
    // h' = (1 - z) * n + z * h, taken only where this step holds a flow.
    const step = tf.mul(tf.sub(1, zt), tf.sub(nt, h));
    const m = tf.tensor2d(input.masks[t]!, [count, 1]);
    h = tf.add(h, tf.mul(m, step)) as tf.Tensor2D;
  }
  return h;
}
