/**
 * A dense layer whose gradient transposes explicitly. On the wasm backend a matMul with
 * transposeA/transposeB is ~10x slower than transpose + plain matMul, and autograd's matMul
 * gradient uses exactly those, so training speed hinges on this (docs: architecture.md).
 */
import { tf } from '../runtime/tf.js';

/** y = x W + b, with gradients for W, b and (if `inputNeedsGrad`) x. */
export function dense(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  b: tf.Tensor1D,
  inputNeedsGrad: boolean,
): tf.Tensor2D {
  if (!inputNeedsGrad) {
    // x is data: leave it out of the gradient so no [batch x inputs] gradient is computed.
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [wIn, bIn] = args as [tf.Tensor2D, tf.Tensor1D];
      return {
        value: tf.add(tf.matMul(x, wIn), bIn),
        gradFunc: (dy: tf.Tensor) => [tf.matMul(tf.transpose(x), dy as tf.Tensor2D), tf.sum(dy, 0)],
      };
    });
    return op(w, b) as tf.Tensor2D;
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xIn, wIn, bIn, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    save([xIn, wIn]);
    return {
      value: tf.add(tf.matMul(xIn, wIn), bIn),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
        return [
          tf.matMul(dy as tf.Tensor2D, tf.transpose(ws)),
          tf.matMul(tf.transpose(xs), dy as tf.Tensor2D),
          tf.sum(dy, 0),
        ];
      },
    };
  });
  return op(x, w, b) as tf.Tensor2D;
}

/**
 * x tableᵀ for data rows `x` (no gradient to x): [batch x rows of table]. The gradient for
 * `table` is dyᵀ x, a plain matMul after transposing only the small dy; autograd would call
 * matMul(x, dy, transposeA), the slow path on wasm (most of a training step's time).
 */
export function dataTimesTransposed(x: tf.Tensor2D, table: tf.Tensor2D): tf.Tensor2D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [tableIn] = args as [tf.Tensor2D];
    return {
      value: tf.matMul(x, tf.transpose(tableIn)),
      gradFunc: (dy: tf.Tensor) => [tf.matMul(tf.transpose(dy as tf.Tensor2D), x)],
    };
  });
  return op(table) as tf.Tensor2D;
}
