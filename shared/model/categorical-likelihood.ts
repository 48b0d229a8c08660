/**
 * The decoder's likelihood: a product of categorical distributions, one softmax per field over
 * that field's slice of one concatenated logits row. All fields are normalised at once with a
 * constant [width x fields] segment matrix (one matMul, no loop over fields), and the
 * gradient is written by hand: per-field softmax minus the observed one-hot.
 */
import { tf } from '../runtime/tf.js';

// Keeps log() finite if a whole field's logits sit ~88 nats below the row maximum.
export const TINY = 1e-30;

export class FieldSegments {
  /** [width x fields]: 1 where a one-hot column belongs to a field. */
  readonly segment: tf.Tensor2D;
  /** [fields x width], the explicit transpose (see dense.ts for why). */
  readonly segmentT: tf.Tensor2D;
  readonly fieldCount: number;

  constructor(cardinalities: ArrayLike<number>) {
    const fields = cardinalities.length;
    let width = 0;
    for (let f = 0; f < fields; f++) width += cardinalities[f]!;
    const values = new Float32Array(width * fields);
    let column = 0;
    for (let f = 0; f < fields; f++) {
      for (let c = 0; c < cardinalities[f]!; c++) values[(column + c) * fields + f] = 1;
      column += cardinalities[f]!;
    }
    this.fieldCount = fields;
    this.segment = tf.tensor2d(values, [width, fields]);
    this.segmentT = tf.transpose(this.segment);
  }

  dispose(): void {
    this.segment.dispose();
    this.segmentT.dispose();
  }

  /**
   * Negative log-likelihood of each row's observed categories, summed over fields: [batch].
   * `multiHot` is the observed data (no gradient flows to it).
   */
  negLogLikelihood(logits: tf.Tensor2D, multiHot: tf.Tensor2D): tf.Tensor1D {
    const { segmentT } = this;
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [logitsIn, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
      const { expShifted, normalisers, logNormaliserSum } = this.normalise(logitsIn);
      save([expShifted, normalisers]);
      const observed = tf.sum(tf.mul(logitsIn, multiHot), 1);
      return {
        value: tf.sub(logNormaliserSum, observed),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [e, s] = saved as [tf.Tensor2D, tf.Tensor2D];
          const softmax = tf.div(e, tf.add(tf.matMul(s, segmentT), TINY));
          return tf.mul(tf.expandDims(dy, 1), tf.sub(softmax, multiHot));
        },
      };
    });
    return op(logits) as tf.Tensor1D;
  }

  /** Per-field negative log-likelihood of the observed categories: [batch x fields]. */
  fieldNegLogLikelihood(logits: tf.Tensor2D, multiHot: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const rowMax = tf.max(logits, 1, true);
      const e = tf.exp(tf.sub(logits, rowMax));
      const logNormalisers = tf.add(tf.log(tf.add(tf.matMul(e, this.segment), TINY)), rowMax);
      const observed = tf.matMul(tf.mul(logits, multiHot), this.segment);
      return tf.sub(logNormalisers, observed) as tf.Tensor2D;
    });
  }

  /** Per-field log-normalisers for a few rows of logits (e.g. one per mixture component). */
  logNormalisers(logits: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const rowMax = tf.max(logits, 1, true);
      const e = tf.exp(tf.sub(logits, rowMax));
      return tf.add(tf.log(tf.add(tf.matMul(e, this.segment), TINY)), rowMax) as tf.Tensor2D;
    });
  }

  private normalise(logits: tf.Tensor2D) {
    // The max only stabilises exp(); it cancels in the result, so no gradient is needed for it.
    const rowMax = tf.max(logits, 1, true);
    const expShifted = tf.exp(tf.sub(logits, rowMax));
    const normalisers = tf.matMul(expShifted, this.segment);
    const logNormaliserSum = tf.add(
      tf.sum(tf.log(tf.add(normalisers, TINY)), 1),
      tf.mul(tf.squeeze(rowMax, [1]), this.fieldCount),
    );
    return { expShifted, normalisers, logNormaliserSum };
  }
}
