/**
 * The within-flow part of the gru's prediction: field f's logits get X (W ⊙ M), a linear term
 * in the flow's own fields before f (M is 1 where the row's field comes before the column's).
 * So the gru's likelihood is p(x | history) = prod over f of p(x_f | x_<f, history), exact
 * and still split by field; without it the fields were independent given the history, and a
 * flow's service could not vouch for its port. An autoregressive mask as in MADE (Germain et
 * al. 2015), one linear layer deep. The product runs on the multi-hot kernel (no dense matMul
 * over the mostly-zero rows).
 */
import { multiHotTimes, multiHotTransposeTimes } from '../../kernels/multi-hot-kernel.js';
import { tf } from '../../runtime/tf.js';
import type { ModelRows } from '../model-rows.js';

/** [width x width]: 1 where the row's field comes strictly before the column's. */
export function withinFlowMask(cardinalities: readonly number[]): Float32Array {
  const width = cardinalities.reduce((a, b) => a + b, 0);
  const fieldOf = new Int32Array(width);
  let at = 0;
  cardinalities.forEach((n, f) => {
    fieldOf.fill(f, at, at + n);
    at += n;
  });
  const mask = new Float32Array(width * width);
  for (let i = 0; i < width; i++)
    for (let j = 0; j < width; j++) if (fieldOf[i]! < fieldOf[j]!) mask[i * width + j] = 1;
  return mask;
}

/** X (W ⊙ M) for the rows X, with its gradient for W: (Xᵀ dy) ⊙ M. Call inside tf.tidy. */
export function withinFlowLogits(
  rows: ModelRows,
  weights: tf.Tensor2D,
  mask: Float32Array,
): tf.Tensor2D {
  const width = rows.width;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [w] = args as [tf.Tensor2D];
    const masked = (w.dataSync() as Float32Array).slice();
    for (let i = 0; i < masked.length; i++) masked[i] = masked[i]! * mask[i]!;
    return {
      value: tf.tensor2d(multiHotTimes(rows, masked, width), [rows.count, width]),
      gradFunc: (dy: tf.Tensor) => {
        const gradient = multiHotTransposeTimes(rows, dy.dataSync() as Float32Array, width);
        for (let i = 0; i < gradient.length; i++) gradient[i] = gradient[i]! * mask[i]!;
        return [tf.tensor2d(gradient, [width, width])];
      },
    };
  });
  return op(weights) as tf.Tensor2D;
}
