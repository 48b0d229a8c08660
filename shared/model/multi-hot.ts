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
    const { width, fieldCount, offsets } = this;
    if (this.buffer.length < count * width) this.buffer = new Float32Array(count * width);
    const buffer = this.buffer.subarray(0, count * width);
    buffer.fill(0);
    for (let r = 0; r < count; r++) {
      const row = order ? order[start + r]! : start + r;
      const base = row * fieldCount;
      const out = r * width;
      for (let f = 0; f < fieldCount; f++) buffer[out + offsets[f]! + codes[base + f]!] = 1;
    }
    return tf.tensor2d(buffer, [count, width]);
  }

  /**
   * The same rows as {@link build} and their transpose [width x count], written in the same
   * pass: the weight gradients need xᵀ, and a Transpose kernel on wasm costs more than this.
   */
  buildPair(
    codes: Uint16Array,
    order: Uint32Array | null,
    start: number,
    count: number,
  ): { x: tf.Tensor2D; xT: tf.Tensor2D } {
    const { width, fieldCount, offsets } = this;
    if (this.transposed.length < count * width) this.transposed = new Float32Array(count * width);
    const buffer = this.transposed.subarray(0, count * width);
    buffer.fill(0);
    for (let r = 0; r < count; r++) {
      const base = (order ? order[start + r]! : start + r) * fieldCount;
      for (let f = 0; f < fieldCount; f++) buffer[(offsets[f]! + codes[base + f]!) * count + r] = 1;
    }
    return { x: this.build(codes, order, start, count), xT: tf.tensor2d(buffer, [width, count]) };
  }
}
