/** The ELBO's latent terms: the KL divergences of both latent kinds, and each row's share. */
import { tf } from '../runtime/tf.js';

/** KL(N(mu, sigma) || N(0, I)) per row. */
export function gaussianKl(mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor1D {
  return tf.mul(
    tf.sum(tf.sub(tf.add(tf.square(mu), tf.exp(logVar)), tf.add(logVar, 1)), 1),
    0.5,
  ) as tf.Tensor1D;
}

/** KL(q(c|x) || uniform over K components) per row. */
export function categoricalKl(alpha: tf.Tensor2D, components: number): tf.Tensor1D {
  const logQ = tf.logSoftmax(alpha);
  return tf.sum(tf.mul(tf.exp(logQ), tf.add(logQ, Math.log(components))), 1) as tf.Tensor1D;
}

/** KL(q(c|x) || pi) per row, for posterior logits [rows x K] and a prior log pi [K]. */
export function mixtureKl(alpha: tf.Tensor2D, logPrior: tf.Tensor1D): tf.Tensor1D {
  const logQ = tf.logSoftmax(alpha);
  return tf.sum(tf.mul(tf.exp(logQ), tf.sub(logQ, logPrior)), 1) as tf.Tensor1D;
}

/** What each row's score holds beyond its fields' parts (the ELBO's KL term). */
export function latentParts(scores: Float32Array, fieldNll: Float32Array): Float32Array {
  const fields = scores.length === 0 ? 0 : fieldNll.length / scores.length;
  const latent = new Float32Array(scores.length);
  for (let r = 0; r < scores.length; r++) {
    let sum = 0;
    for (let f = 0; f < fields; f++) sum += fieldNll[r * fields + f]!;
    latent[r] = scores[r]! - sum;
  }
  return latent;
}
