/**
 * Adam over the model's weights as one flat vector, in plain JavaScript. tfjs's Adam runs ~13
 * kernels per variable per step (three of them broadcast divisions, slow on wasm); here one
 * pass over a Float32Array does the same update with no kernel at all, and the state (two
 * moment vectors and a step count) is plain data a site can keep across federated rounds.
 */
export class FlatAdam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;

  constructor(
    readonly size: number,
    readonly learningRate: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    // tfjs's float32 epsilon, so that a run means the same as with tf.train.adam.
    private readonly epsilon = 1e-7,
  ) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  /** Optimiser steps taken so far. */
  get steps(): number {
    return this.t;
  }

  /** One step: `weights -= lr * mHat / (sqrt(vHat) + eps)`, in place. */
  step(weights: Float32Array, gradient: Float32Array): void {
    if (weights.length !== this.size || gradient.length !== this.size)
      throw new Error(
        `Adam holds ${this.size} weights but was given ${weights.length} weights and ${gradient.length} gradients`,
      );
    this.t++;
    const { m, v, beta1, beta2, epsilon } = this;
    // The bias corrections as factors outside the loop: lr * (m / c1) / (sqrt(v / c2) + eps)
    // with one square root and one division per weight instead of three divisions.
    const stepSize = this.learningRate / (1 - beta1 ** this.t);
    const rootScale = 1 / Math.sqrt(1 - beta2 ** this.t);
    for (let i = 0; i < weights.length; i++) {
      const g = gradient[i]!;
      const mi = beta1 * m[i]! + (1 - beta1) * g;
      const vi = beta2 * v[i]! + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      weights[i] = weights[i]! - (stepSize * mi) / (Math.sqrt(vi) * rootScale + epsilon);
    }
  }
}
