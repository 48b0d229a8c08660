/**
 * Products with a batch of multi-hot rows, done as what they are: sums of matrix rows, one per
 * field, instead of dense matMuls over mostly zeros. The model's first layer and its
 * per-component likelihoods are such products; as dense matMuls they were 45% of a training
 * step on wasm. The arithmetic runs in a small WebAssembly SIMD module (multi-hot.wat), the same
 * on every TensorFlow.js backend: inputs are copied in, results copied out as new arrays.
 */
import { WASM_BASE64 } from './multi-hot-wasm.js';
import { align16, instantiateKernel, type KernelMemory, reserveBytes } from './wasm.js';

/** A batch of multi-hot rows by the column of each 1 (one per field), not as a dense matrix. */
export interface MultiHotRows {
  readonly count: number;
  readonly fields: number;
  /** Columns of the dense matrix the rows stand for. */
  readonly width: number;
  /** Row-major [count x fields]: the column, in [0, width), of each field's 1. */
  readonly columns: Int32Array;
}

interface KernelExports extends KernelMemory {
  times(
    columns: number,
    rows: number,
    fields: number,
    m: number,
    stride: number,
    out: number,
  ): void;
  transposeTimes(
    columns: number,
    rows: number,
    fields: number,
    d: number,
    stride: number,
    out: number,
  ): void;
  columnSums(d: number, rows: number, stride: number, out: number): void;
}

let kernel: KernelExports | null = null;
/**
 * The rows whose columns sit at the start of the kernel's memory (checked). A training step
 * multiplies one batch four times and a scoring batch twice: its columns are copied and
 * checked once. MultiHotRows are read-only, so the same object means the same columns.
 */
let placed: MultiHotRows | null = null;

function instance(): KernelExports {
  // One instance per thread: a call's inputs and outputs are placed anew each time.
  kernel ??= instantiateKernel<KernelExports>(WASM_BASE64);
  return kernel;
}

/** X M: [count x cols] for the rows X and `matrix` M [width x cols] (row-major). */
export function multiHotTimes(
  rows: MultiHotRows,
  matrix: Float32Array,
  cols: number,
): Float32Array {
  const layout = timesInPlace(rows, matrix, cols);
  return layout.read(layout.output, rows.count);
}

/**
 * {@link multiHotTimes} as a view of the kernel's memory, not a copy: valid only until the next
 * product on this thread, for a caller that copies it at once anyway (into a tensor on the
 * wasm backend: tensorFromView). A copy when `cols` is not a multiple of 4 (rows are padded).
 */
export function multiHotTimesView(
  rows: MultiHotRows,
  matrix: Float32Array,
  cols: number,
): Float32Array {
  const layout = timesInPlace(rows, matrix, cols);
  if (layout.stride !== cols) return layout.read(layout.output, rows.count);
  return new Float32Array(layout.kernel.memory.buffer, layout.output, rows.count * cols);
}

function timesInPlace(rows: MultiHotRows, matrix: Float32Array, cols: number) {
  expectLength(matrix, rows.width * cols, 'matrix');
  const layout = place(rows, rows.width, cols);
  layout.write(layout.input, matrix, rows.width);
  layout.kernel.times(
    layout.columns,
    rows.count,
    rows.fields,
    layout.input,
    layout.stride,
    layout.output,
  );
  return layout;
}

/** Xᵀ D: [width x cols] for the rows X and `d` [count x cols] (row-major). */
export function multiHotTransposeTimes(
  rows: MultiHotRows,
  d: Float32Array,
  cols: number,
): Float32Array {
  return transposeTimes(rows, d, cols, false).product;
}

/**
 * The gradients of a layer whose input is the rows X, given `d` [count x cols], the gradient
 * of its output: the kernel's, Xᵀ D [width x cols], and the bias's, the column sums of D.
 */
export function multiHotLayerGradients(
  rows: MultiHotRows,
  d: Float32Array,
  cols: number,
): { kernel: Float32Array; bias: Float32Array } {
  const { product, sums } = transposeTimes(rows, d, cols, true);
  return { kernel: product, bias: sums! };
}

function transposeTimes(rows: MultiHotRows, d: Float32Array, cols: number, sumsToo: boolean) {
  expectLength(d, rows.count * cols, 'gradient');
  const layout = place(rows, rows.count, cols);
  layout.write(layout.input, d, rows.count);
  layout.zero(layout.output, rows.width);
  const { kernel, columns, input, stride, output, sums } = layout;
  kernel.transposeTimes(columns, rows.count, rows.fields, input, stride, output);
  if (sumsToo) kernel.columnSums(input, rows.count, stride, sums);
  return {
    product: layout.read(output, rows.width),
    sums: sumsToo ? layout.read(sums, 1) : null,
  };
}

function expectLength(values: Float32Array, length: number, what: string): void {
  if (values.length !== length)
    throw new RangeError(`multi-hot product: ${what} has ${values.length} values, not ${length}`);
}

/**
 * Lays out one call in the module's memory: the columns, then an input matrix of `inputRows`,
 * an output matrix of the larger row count and one row for column sums, all `stride` floats
 * per row (cols rounded up to the SIMD width of 4; the padding stays unused).
 */
function place(rows: MultiHotRows, inputRows: number, cols: number) {
  const k = instance();
  const stride = Math.ceil(cols / 4) * 4;
  const columnBytes = align16(rows.count * rows.fields * 4);
  const input = columnBytes;
  const output = input + align16(inputRows * stride * 4);
  const sums = output + align16(Math.max(rows.count, rows.width) * stride * 4);
  const end = sums + stride * 4;
  reserveBytes(k, end);
  if (placed !== rows) {
    placed = null; // a failed check leaves nothing placed
    const columns = new Int32Array(k.memory.buffer, 0, rows.count * rows.fields);
    columns.set(rows.columns.subarray(0, columns.length));
    checkColumns(columns, rows.width);
    placed = rows;
  }
  const floats = (at: number, n: number) => new Float32Array(k.memory.buffer, at, n * stride);
  return {
    kernel: k,
    columns: 0,
    input,
    output,
    sums,
    stride,
    /** Copies row-major [n x cols] `values` to `at`, padding each row to the stride. */
    write(at: number, values: Float32Array, n: number): void {
      const target = floats(at, n);
      if (stride === cols) target.set(values);
      else
        for (let r = 0; r < n; r++)
          target.set(values.subarray(r * cols, (r + 1) * cols), r * stride);
    },
    zero(at: number, n: number): void {
      floats(at, n).fill(0);
    },
    /** A copy of the [n x cols] matrix at `at`, without the padding. */
    read(at: number, n: number): Float32Array {
      const source = floats(at, n);
      if (stride === cols) return source.slice();
      const out = new Float32Array(n * cols);
      for (let r = 0; r < n; r++) out.set(source.subarray(r * stride, r * stride + cols), r * cols);
      return out;
    },
  };
}

/** A column outside the matrix would read or write another buffer's memory: refuse it. */
function checkColumns(columns: Int32Array, width: number): void {
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i]!;
    if (c < 0 || c >= width)
      throw new RangeError(`multi-hot product: column ${c} at ${i} is outside [0, ${width})`);
  }
}
