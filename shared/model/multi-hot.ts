/**
 * Builds the model's input for a batch of encoded rows: a multi-hot matrix (one 1 per field),
 * which a dense layer turns into the sum of per-field embeddings. Either as the columns of the
 * ones ({@link MultiHotBuilder.rows}), which the multi-hot kernels multiply without a dense
 * matrix, or as a dense tensor ({@link MultiHotBuilder.build}) where autograd needs one; built
 * in JS with one copy, because gather's gradient is missing on the wasm backend.
 */
import type { FlowEncoder } from '../encoding/flow-encoder.js';
import type { MultiHotRows } from '../kernels/multi-hot-kernel.js';
import { tf } from '../runtime/tf.js';

export type { MultiHotRows };

export class MultiHotBuilder {
  private columns = new Int32Array(0);
  private readonly offsets: Int32Array;
  private readonly fieldCount: number;
  readonly width: number;

  constructor(encoder: FlowEncoder) {
    this.offsets = encoder.offsets;
    this.fieldCount = encoder.fieldCount;
    this.width = encoder.width;
  }

  /**
   * Rows `order[start .. start + count)` of `codes` (row-major, `fieldCount` per row), or rows
   * `start .. start + count` when `order` is null, as a dense [count x width] tensor.
   */
  build(codes: Uint16Array, order: Uint32Array | null, start: number, count: number): tf.Tensor2D {
    return multiHotTensor(this.rows(codes, order, start, count));
  }

  /**
   * The same rows as {@link build}, as the column of each 1. The columns live in a buffer the
   * next call overwrites: use them before building another batch.
   */
  rows(codes: Uint16Array, order: Uint32Array | null, start: number, count: number): MultiHotRows {
    const { width, fieldCount, offsets } = this;
    const size = count * fieldCount;
    if (this.columns.length < size) this.columns = new Int32Array(size);
    const columns = this.columns.subarray(0, size);
    for (let r = 0; r < count; r++) {
      const base = (order ? order[start + r]! : start + r) * fieldCount;
      for (let f = 0; f < fieldCount; f++)
        columns[r * fieldCount + f] = offsets[f]! + codes[base + f]!;
    }
    return { count, fields: fieldCount, width, columns };
  }
}

/** The dense [count x width] matrix that `rows` stand for, as a tensor. */
export function multiHotTensor(rows: MultiHotRows): tf.Tensor2D {
  const { count, fields, width, columns } = rows;
  const dense = new Float32Array(count * width);
  for (let r = 0; r < count; r++)
    for (let f = 0; f < fields; f++) dense[r * width + columns[r * fields + f]!] = 1;
  return tf.tensor2d(dense, [count, width]);
}
