import { expect } from 'chai';
import {
  type MultiHotRows,
  multiHotLayerGradients,
  multiHotTimes,
  multiHotTimesView,
  multiHotTransposeTimes,
} from '../../../shared/kernels/multi-hot-kernel.js';

/** Random rows with one 1 per field, fields owning consecutive column ranges. */
function randomRows(count: number, cardinalities: number[], seed: number): MultiHotRows {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const width = cardinalities.reduce((a, b) => a + b, 0);
  const columns = new Int32Array(count * cardinalities.length);
  for (let r = 0; r < count; r++) {
    let offset = 0;
    cardinalities.forEach((c, f) => {
      columns[r * cardinalities.length + f] = offset + Math.floor(next() * c);
      offset += c;
    });
  }
  return { count, fields: cardinalities.length, width, columns };
}

function randomMatrix(length: number, seed: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => Math.sin(seed * 1000 + i * 12.9898) * 3);
}

/** The dense multi-hot matrix the rows stand for. */
function dense(rows: MultiHotRows): Float32Array {
  const x = new Float32Array(rows.count * rows.width);
  for (let r = 0; r < rows.count; r++)
    for (let f = 0; f < rows.fields; f++)
      x[r * rows.width + rows.columns[r * rows.fields + f]!] = 1;
  return x;
}

function matMul(a: Float32Array, b: Float32Array, n: number, k: number, m: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let p = 0; p < k; p++) {
      const v = a[i * k + p]!;
      if (v !== 0) for (let j = 0; j < m; j++) out[i * m + j]! += v * b[p * m + j]!;
    }
  return out;
}

function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = a[r * cols + c]!;
  return t;
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).to.equal(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('multi-hot products', () => {
  // 128 and 32 are the default model's widths; 5 and 1 are not multiples of the SIMD width.
  for (const cols of [128, 32, 5, 1]) {
    it(`multiplies rows by a matrix with ${cols} columns as the dense product does`, () => {
      const rows = randomRows(37, [3, 7, 2, 11, 1], cols);
      const m = randomMatrix(rows.width * cols, cols);
      const expected = matMul(dense(rows), m, rows.count, rows.width, cols);
      expect(maxDifference(multiHotTimes(rows, m, cols), expected)).to.be.below(1e-5);
    });

    it(`multiplies the rows' transpose by a matrix with ${cols} columns as the dense product does`, () => {
      const rows = randomRows(37, [3, 7, 2, 11, 1], cols + 1);
      const d = randomMatrix(rows.count * cols, cols + 2);
      const xT = transpose(dense(rows), rows.count, rows.width);
      const expected = matMul(xT, d, rows.width, rows.count, cols);
      expect(maxDifference(multiHotTransposeTimes(rows, d, cols), expected)).to.be.below(1e-5);
    });
  }

  for (const cols of [128, 7]) {
    it(`gives a layer's kernel and bias gradients from its output's gradient (${cols} units)`, () => {
      const rows = randomRows(50, [4, 9, 3], cols + 3);
      const d = randomMatrix(rows.count * cols, cols + 4);
      const { kernel, bias } = multiHotLayerGradients(rows, d, cols);
      const xT = transpose(dense(rows), rows.count, rows.width);
      expect(maxDifference(kernel, matMul(xT, d, rows.width, rows.count, cols))).to.be.below(1e-5);
      const ones = new Float32Array(rows.count).fill(1);
      expect(maxDifference(bias, matMul(ones, d, 1, rows.count, cols))).to.be.below(1e-5);
    });
  }

  it('gives zeros for columns no row uses, and an empty product for no rows', () => {
    const rows = randomRows(0, [4, 4], 1);
    expect(multiHotTimes(rows, randomMatrix(8 * 3, 1), 3)).to.have.length(0);
    const grad = multiHotTransposeTimes(rows, new Float32Array(0), 3);
    expect(Array.from(grad)).to.deep.equal(new Array(8 * 3).fill(0));
  });

  for (const cols of [128, 20, 3])
    it(`sums each row's fields in field order, as float32 additions one after another (${cols} columns)`, () => {
      const rows = randomRows(50, [7, 3, 11, 2, 5, 9], 11);
      const matrix = randomMatrix(rows.width * cols, 12);
      const product = multiHotTimes(rows, matrix, cols);
      const expected = new Float32Array(rows.count * cols);
      for (let r = 0; r < rows.count; r++)
        for (let j = 0; j < cols; j++) {
          let sum = 0;
          for (let f = 0; f < rows.fields; f++) {
            const column = rows.columns[r * rows.fields + f]!;
            sum =
              f === 0 ? matrix[column * cols + j]! : Math.fround(sum + matrix[column * cols + j]!);
          }
          expected[r * cols + j] = sum;
        }
      // Bit for bit: scores must not change with how the kernel is written.
      expect(Array.from(product)).to.deep.equal(Array.from(expected));
    });

  for (const cols of [32, 5])
    it(`gives the same product as a view of its memory, until the next product (${cols} columns)`, () => {
      const rows = randomRows(40, [4, 9, 3], 21);
      const matrix = randomMatrix(rows.width * cols, 22);
      const copy = multiHotTimes(rows, matrix, cols);
      const view = multiHotTimesView(rows, matrix, cols);
      expect(Array.from(view)).to.deep.equal(Array.from(copy));
    });

  it('returns results that later calls do not overwrite', () => {
    const rows = randomRows(4, [2, 2], 3);
    const first = multiHotTimes(rows, randomMatrix(4 * 4, 1), 4);
    const copy = first.slice();
    multiHotTimes(randomRows(64, [9, 9], 4), randomMatrix(18 * 4, 2), 4);
    expect(Array.from(first)).to.deep.equal(Array.from(copy));
  });

  it('multiplies a batch again correctly after another batch was multiplied in between', () => {
    const a = randomRows(30, [5, 6], 7);
    const b = randomRows(50, [3, 9, 2], 8);
    const ma = randomMatrix(a.width * 8, 9);
    const mb = randomMatrix(b.width * 8, 10);
    const first = multiHotTimes(a, ma, 8);
    multiHotTimes(b, mb, 8);
    multiHotTransposeTimes(b, randomMatrix(b.count * 8, 11), 8);
    expect(Array.from(multiHotTimes(a, ma, 8))).to.deep.equal(Array.from(first));
    const expected = matMul(dense(a), ma, a.count, a.width, 8);
    expect(maxDifference(first, expected)).to.be.below(1e-5);
  });

  it('grows its memory for batches larger than it has seen', () => {
    const rows = randomRows(5000, [20, 30, 40], 5);
    const m = randomMatrix(rows.width * 64, 5);
    const expected = matMul(dense(rows), m, rows.count, rows.width, 64);
    expect(maxDifference(multiHotTimes(rows, m, 64), expected)).to.be.below(1e-4);
  });

  it('refuses a column outside the matrix instead of reading other memory', () => {
    const rows = { count: 2, fields: 2, width: 4, columns: Int32Array.from([0, 2, 1, 4]) };
    expect(() => multiHotTimes(rows, new Float32Array(16), 4)).to.throw(
      RangeError,
      'column 4 at 3 is outside [0, 4)',
    );
    const negative = { ...rows, columns: Int32Array.from([0, -1, 1, 3]) };
    expect(() => multiHotTransposeTimes(negative, new Float32Array(8), 4)).to.throw(
      RangeError,
      'column -1 at 1',
    );
  });

  it('refuses a matrix whose size does not match the rows', () => {
    const rows = randomRows(3, [2, 2], 6);
    expect(() => multiHotTimes(rows, new Float32Array(15), 4)).to.throw(
      RangeError,
      'matrix has 15 values, not 16',
    );
  });
});
