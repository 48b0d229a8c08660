/**
 * Builds the model's input for a batch of encoded rows: a multi-hot matrix (one 1 per field),
 * which a dense layer turns into the sum of per-field embeddings. Built in JS with one copy
 * into the tensor, because gather's gradient is missing on the wasm backend.
 */
import type { FlowEncoder } from '../encoding/flow-encoder.js';
import { tf } from '../runtime/tf.js';

export class MultiHotBuilder {
  private buffer = new Float32Array(0);
  private transposed = new Float32Array(0);
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
   * `start .. start + count` when `order` is null.
   */
  build(codes: Uint16Array, order: Uint32Array | null, start: number, count: number): tf.Tensor2D {
    const buffer = this.fill(codes, order, start, count, false);
    return tf.tensor2d(buffer, [count, this.width]);
  }

  /**
   * The same rows as {@link build} and their transpose [width x count], both written in one
   * pass over the codes: the weight gradients need xᵀ, and a Transpose kernel on wasm costs
   * more than this.
   */
  buildPair(
    codes: Uint16Array,
    order: Uint32Array | null,
    start: number,
    count: number,
  ): { x: tf.Tensor2D; xT: tf.Tensor2D } {
    const buffer = this.fill(codes, order, start, count, true);
    return {
      x: tf.tensor2d(buffer, [count, this.width]),
      xT: tf.tensor2d(this.transposed.subarray(0, count * this.width), [this.width, count]),
    };
  }

  /** Writes the rows' ones into `buffer` (and, if asked, their transpose); returns the rows. */
  private fill(
    codes: Uint16Array,
    order: Uint32Array | null,
    start: number,
    count: number,
    transposeToo: boolean,
  ): Float32Array {
    const { width, fieldCount, offsets } = this;
    const size = count * width;
    if (this.buffer.length < size) this.buffer = new Float32Array(size);
    if (transposeToo && this.transposed.length < size) this.transposed = new Float32Array(size);
    const buffer = this.buffer.subarray(0, size);
    const transposed = transposeToo ? this.transposed.subarray(0, size) : null;
    buffer.fill(0);
    transposed?.fill(0);
    for (let r = 0; r < count; r++) {
      const base = (order ? order[start + r]! : start + r) * fieldCount;
      const out = r * width;
      for (let f = 0; f < fieldCount; f++) {
        const column = offsets[f]! + codes[base + f]!;
        buffer[out + column] = 1;
        if (transposed) transposed[column * count + r] = 1;
      }
    }
    return buffer;
  }
}
