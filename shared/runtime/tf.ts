/**
 * TensorFlow.js core, as the code uses it: `import { tf } from '.../shared/runtime/tf.js'`,
 * then `tf.matMul(...)` and `tf.Tensor2D` as with `import * as tf`.
 *
 * Loaded with require, not import: importing the 1.2 MB CommonJS bundle as an ES module makes
 * Node parse it once more to check its syntax and scan it for export names before running it,
 * which cost 0.17 s of CPU and 20 MB per process (with the wasm backend's bundle), more than
 * scoring 10,000 flows. The namespace below gives back the types that `import * as tf` named.
 */
import { createRequire } from 'node:module';
import type * as Core from '@tensorflow/tfjs-core';

export const tf: typeof Core = createRequire(import.meta.url)('@tensorflow/tfjs-core');

// Production mode: TensorFlow.js then writes none of its own console lines (the CPU backend's
// "Hi, looks like you are running TensorFlow.js in Node.js" banner, "Platform node has already
// been set" when a backend package registers the platform again), which would land in the
// middle of the program's log stream. In tfjs-core 4.x the flag gates only those messages.
// Every thread that runs a model loads this module, so workers are quiet too.
tf.env().set('PROD', true);

export declare namespace tf {
  type Tensor<R extends Core.Rank = Core.Rank> = Core.Tensor<R>;
  type Scalar = Core.Scalar;
  type Tensor1D = Core.Tensor1D;
  type Tensor2D = Core.Tensor2D;
  type Variable<R extends Core.Rank = Core.Rank> = Core.Variable<R>;
  type Optimizer = Core.Optimizer;
  type GradSaveFunc = Core.GradSaveFunc;
  type Rank = Core.Rank;
  namespace Rank {
    type R1 = Core.Rank.R1;
    type R2 = Core.Rank.R2;
  }
}
