/**
 * The stick-breaking latent's global terms: mixture weights pi from K - 1 stick lengths, and
 * their Beta(1, alpha) prior. The sticks are MAP point estimates v_k = sigmoid(beta_k), one
 * weight each in the flat vector (so federation averages them like every other weight); the
 * last stick is 1, so the K weights sum to 1 with nothing lost to truncation.
 */
import { tf } from '../runtime/tf.js';

/** The name of the stick logits in the weight manifest (after every layer). */
export const STICKS_WEIGHT = 'latent.sticks';

/**
 * log pi_k = log v_k + sum_{j<k} log(1 - v_j), v_K = 1: [K] from the K - 1 stick logits. Built
 * from log-sigmoids so that a long product of (1 - v_j) stays finite in float32.
 */
export function logMixtureWeights(sticks: tf.Tensor1D): tf.Tensor1D {
  // No tidy of its own: under autograd, an inner tidy disposes what the gradient needs.
  const zero = tf.zeros([1]);
  const logV = tf.concat([logSigmoid(sticks), zero]);
  const logRest = tf.concat([logSigmoid(tf.neg(sticks)), zero]);
  return tf.add(logV, tf.cumsum(logRest, 0, true)) as tf.Tensor1D;
}

/**
 * The global part of the negative ELBO: -log Beta(v_k; 1, alpha) summed over the sticks,
 * = -sum_k [log alpha + (alpha - 1) log(1 - v_k)]. With alpha > 1 its gradient pushes every
 * stick towards 0, so sticks the data does not hold up give their mass away; alpha = 1 is flat.
 */
export function stickPriorTerm(sticks: tf.Tensor1D, concentration: number): tf.Scalar {
  const logRest = tf.sum(logSigmoid(tf.neg(sticks)));
  const constant = sticks.shape[0] * Math.log(concentration);
  return tf.neg(tf.add(tf.mul(logRest, concentration - 1), constant)) as tf.Scalar;
}

/**
 * Stick logits at the prior's mean, v_k = E[Beta(1, alpha)] = 1 / (1 + alpha): the weights
 * start geometric, pi_k = (1 / (1 + alpha)) (alpha / (1 + alpha))^k, and the data moves them.
 * Not uniform: the ELBO with learned weights is the same however a cluster's rows split over
 * components that decode alike, so only where training starts breaks that tie. From uniform
 * weights every component is used (as the fixed mixture uses all of them); from the prior's
 * mean a component is taken up when its rows' likelihood pays for its lower weight.
 */
export function initialStickLogits(components: number, concentration: number): Float32Array {
  return new Float32Array(components - 1).fill(-Math.log(concentration));
}

/** The mixture weights pi as numbers (sampling, components in use). */
export function mixtureWeights(sticks: tf.Tensor1D): Float32Array {
  const pi = tf.tidy(() => tf.exp(logMixtureWeights(sticks)));
  const values = pi.dataSync() as Float32Array;
  pi.dispose();
  return values;
}

/**
 * log sigmoid(x) = -softplus(-x). Not tf.logSigmoid: its gradient reads an input it does not
 * keep, which autograd has disposed by then when the input is an intermediate tensor.
 */
function logSigmoid(x: tf.Tensor1D): tf.Tensor1D {
  return tf.neg(tf.softplus(tf.neg(x)));
}
