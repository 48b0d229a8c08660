// Aligned plain-text tables for evaluation reports in a terminal or a log file.
// Written here rather than taken from cli-table3: we want borderless, copy-pasteable columns
// with numbers right-aligned, which is a few lines, while cli-table3 is built around box
// borders and brings a string-width dependency for it.

/** How table cells that are numbers are written. */
export interface TableOptions {
  /** Formats each number cell; the default is `formatReportNumber`. */
  formatNumber?: (value: number) => string;
}

/**
 * Integers as they are, other numbers with 4 decimals (AUROC 0.9531, a threshold 41.2875),
 * and very small or very large ones in exponent form so they do not print as 0.0000.
 */
export function formatReportNumber(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e9) return value.toExponential(3);
  return value.toFixed(4);
}

/**
 * Formats rows under headers as aligned columns separated by two spaces, with a dashed rule
 * under the headers. Number cells (and the header of an all-number column) are right-aligned,
 * text is left-aligned; lines carry no trailing spaces. Throws when a row's length differs
 * from the headers'.
 * @example
 * formatTable(['category', 'flows', 'TPR'], [['dos', 7458, 0.9731], ['probe', 2421, 0.88]])
 * // category  flows     TPR
 * // --------  -----  ------
 * // dos        7458  0.9731
 * // probe      2421  0.8800
 */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  options: TableOptions = {},
): string {
  const formatNumber = options.formatNumber ?? formatReportNumber;
  rows.forEach((row, r) => {
    if (row.length !== headers.length) {
      throw new RangeError(
        `row ${r} has ${row.length} cells, expected ${headers.length} (one per header)`,
      );
    }
  });
  const cells = rows.map((row) => row.map((v) => (typeof v === 'number' ? formatNumber(v) : v)));
  const numeric = headers.map(
    (_, c) => rows.length > 0 && rows.every((row) => typeof row[c] === 'number'),
  );
  const widths = headers.map((h, c) =>
    Math.max(displayWidth(h), ...cells.map((row) => displayWidth(row[c]!))),
  );

  const line = (texts: readonly string[], rightAligned: (c: number) => boolean) =>
    texts
      .map((text, c) => {
        const pad = ' '.repeat(widths[c]! - displayWidth(text));
        return rightAligned(c) ? pad + text : text + pad;
      })
      .join('  ')
      .trimEnd();

  return [
    line(headers, (c) => numeric[c]!),
    line(
      widths.map((w) => '-'.repeat(w)),
      () => false,
    ),
    ...cells.map((row, r) => line(row, (c) => typeof rows[r]![c] === 'number')),
  ].join('\n');
}

// Code points, not UTF-16 units, so labels with accents or symbols stay aligned.
function displayWidth(text: string): number {
  return Array.from(text).length;
}
