/**
 * A mergeable histogram of non-negative values on a fixed, published log-spaced grid.
 * Sites build it locally; the coordinator adds counts bucket by bucket, so it is the sketch
 * numeric fields share in the encoder round and the form score histograms travel in.
 */

/** The grid: one bucket for exactly 0, then `perDecade` buckets per decade over [10^minExp, 10^maxExp). */
export interface LogGrid {
  readonly minExp: number;
  readonly maxExp: number;
  readonly perDecade: number;
}

/** Covers 1e-6 .. 1e13 (durations in microseconds up to 10 TB transfers) at ~15% resolution. */
export const DEFAULT_LOG_GRID: LogGrid = { minExp: -6, maxExp: 13, perDecade: 16 };

/** Buckets: [0] = zero; [1] = (0, 10^minExp) and the first decade step; last = overflow. */
export function bucketCount(grid: LogGrid): number {
  return (grid.maxExp - grid.minExp) * grid.perDecade + 2;
}

/** The bucket of a value; values below the grid fall in bucket 1, above it in the last. */
export function bucketOf(grid: LogGrid, value: number): number {
  if (value <= 0) return 0;
  const step = Math.floor((Math.log10(value) - grid.minExp) * grid.perDecade);
  const last = bucketCount(grid) - 1;
  if (step < 0) return 1;
  return Math.min(step + 1, last);
}

/** Lower edge of a bucket (> 0 for every bucket but the zero bucket). */
export function bucketLowerEdge(grid: LogGrid, bucket: number): number {
  if (bucket <= 1) return 0;
  return 10 ** (grid.minExp + (bucket - 1) / grid.perDecade);
}

export class LogHistogram {
  readonly counts: Float64Array;

  constructor(
    readonly grid: LogGrid = DEFAULT_LOG_GRID,
    counts?: ArrayLike<number>,
  ) {
    const size = bucketCount(grid);
    if (counts && counts.length !== size) {
      throw new Error(`histogram has ${counts.length} buckets, the grid needs ${size}`);
    }
    this.counts = counts ? Float64Array.from(counts) : new Float64Array(size);
  }

  add(value: number, weight = 1): void {
    this.counts[bucketOf(this.grid, value)]! += weight;
  }

  /** Adds another histogram on the same grid (the coordinator's merge). */
  merge(other: LogHistogram): void {
    if (!sameGrid(this.grid, other.grid))
      throw new Error('cannot merge histograms on different grids');
    for (let i = 0; i < this.counts.length; i++) this.counts[i]! += other.counts[i]!;
  }

  total(): number {
    let sum = 0;
    for (const c of this.counts) sum += c;
    return sum;
  }
}

export function sameGrid(a: LogGrid, b: LogGrid): boolean {
  return a.minExp === b.minExp && a.maxExp === b.maxExp && a.perDecade === b.perDecade;
}
