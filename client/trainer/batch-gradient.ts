/**
 * The gradient of one mini-batch, read back as one flat vector: the model's hand-written
 * gradient where it has one (lossAndGradient), else autograd on its loss. The last entry is the
 * batch's mean loss. The one place a training step touches tensors, on either thread.
 */

import type { RowHistory } from '../../shared/encoding/flow-table.js';
import type { DetectorModel, LossSettings } from '../../shared/model/detector-model.js';
import { withHistory } from '../../shared/model/model-rows.js';
import type { MultiHotBuilder } from '../../shared/model/multi-hot.js';
import { registerGradients } from '../../shared/model/register-gradients.js';
import { tf } from '../../shared/runtime/tf.js';

/**
 * Rows `order[start .. start + count)` of `codes` (or `start ..` when `order` is null), with
 * their histories when the table has them (`history`: the sequence model's input).
 */
export function batchGradient(
  model: DetectorModel,
  builder: MultiHotBuilder,
  codes: Uint16Array,
  order: Uint32Array | null,
  start: number,
  count: number,
  settings: LossSettings,
  history: RowHistory | null = null,
): Float32Array {
  const rows = withHistory(builder.rows(codes, order, start, count), history, order, start);
  const flat =
    model.lossAndGradient?.(rows, settings) ??
    autogradGradient(model, builder.build(codes, order, start, count), settings);
  const values = flat.dataSync() as Float32Array;
  flat.dispose();
  return values;
}

/** The gradient of `model.loss` on the dense batch `x` (disposed here) by autograd, flattened like lossAndGradient's result. */
function autogradGradient(
  model: DetectorModel,
  x: tf.Tensor2D,
  settings: LossSettings,
): tf.Tensor1D {
  registerGradients();
  try {
    return tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => model.loss(x, settings), model.variables);
      const parts = model.variables.map((v) => tf.reshape(grads[v.name]!, [-1]));
      return tf.concat([...parts, tf.reshape(value, [1])]) as tf.Tensor1D;
    });
  } finally {
    x.dispose();
  }
}
