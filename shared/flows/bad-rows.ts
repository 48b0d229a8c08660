/**
 * Counting of malformed rows against the share a caller tolerates: a few bad rows are skipped and
 * reported, a file that is mostly bad (wrong format, wrong mapping) stops the read.
 */
import { describeIssue, FlowFormatError, type RowIssue } from './schema.js';

export const DEFAULT_MAX_BAD_SHARE = 0.05;
export const DEFAULT_MIN_ROWS_FOR_SHARE = 200;
/** How often (in good rows) a reader reports its progress: a power of two, checked per row. */
export const PROGRESS_ROWS = 8192;

export interface BadRowPolicy {
  readonly maxBadShare: number;
  readonly minRowsForShare: number;
  readonly onBadRow: ((issue: RowIssue) => void) | undefined;
  readonly onProgress: ((stats: Readonly<RowStats>) => void) | undefined;
}

/** Running counts a reader exposes; updated as rows are read. */
export interface RowStats {
  rows: number;
  badRows: number;
}

/** Fills in defaults and rejects limits that cannot mean anything. */
export function badRowPolicy(options: {
  maxBadShare?: number;
  minRowsForShare?: number;
  onBadRow?: (issue: RowIssue) => void;
  onProgress?: (stats: Readonly<RowStats>) => void;
}): BadRowPolicy {
  const { maxBadShare = DEFAULT_MAX_BAD_SHARE, minRowsForShare = DEFAULT_MIN_ROWS_FOR_SHARE } =
    options;
  if (!(maxBadShare >= 0 && maxBadShare <= 1)) {
    throw new RangeError(`maxBadShare must be between 0 and 1, got ${maxBadShare}`);
  }
  if (!(Number.isInteger(minRowsForShare) && minRowsForShare >= 0)) {
    throw new RangeError(`minRowsForShare must be a non-negative integer, got ${minRowsForShare}`);
  }
  return {
    maxBadShare,
    minRowsForShare,
    onBadRow: options.onBadRow,
    onProgress: options.onProgress,
  };
}

/** Counts the rows of one file; throws FlowFormatError once the bad share passes the limit. */
export class BadRowCounter {
  private goodRows = 0;
  private badRows = 0;
  private firstIssue: RowIssue | null = null;

  constructor(
    private readonly file: string,
    private readonly policy: BadRowPolicy,
    private readonly stats: RowStats,
  ) {}

  /** Counts a row that was read successfully. */
  good(): void {
    this.goodRows++;
    this.stats.rows++;
    if ((this.stats.rows & (PROGRESS_ROWS - 1)) === 0) this.policy.onProgress?.(this.stats);
    // A good row never raises the share, but reaching the minimum is when checks begin.
    if (this.goodRows + this.badRows === this.policy.minRowsForShare) this.check();
  }

  /** Counts, reports and (past the limit) throws for a row that was skipped. */
  bad(issue: RowIssue): void {
    this.badRows++;
    this.stats.badRows++;
    this.firstIssue ??= issue;
    this.policy.onBadRow?.(issue);
    if (this.goodRows + this.badRows >= this.policy.minRowsForShare) this.check();
  }

  /** At the end of the file the share is checked whatever the number of rows. */
  finish(): void {
    this.check();
  }

  private check(): void {
    const total = this.goodRows + this.badRows;
    if (this.badRows === 0 || this.badRows / total <= this.policy.maxBadShare) return;
    const share = formatPercent(this.badRows / total);
    const limit = formatPercent(this.policy.maxBadShare);
    throw new FlowFormatError(
      `${this.file}: ${this.badRows} of ${total} rows malformed (${share}, more than the ${limit} allowed); ` +
        `first: ${describeIssue(this.firstIssue!)}`,
      this.file,
    );
  }
}

function formatPercent(share: number): string {
  return `${Number((share * 100).toFixed(2))}%`;
}
