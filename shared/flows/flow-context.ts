/**
 * Where a flow happened and who took part: its timestamp, uid, addresses and ports. Rows carry
 * this beside their model fields so the derive stage can compute per-host traffic features and
 * alerts can name the flow; it is never a model input and never leaves the site.
 */
import { INVALID, parseNonNegativeBytes } from './field-text.js';
import type { LineCells } from './line-cells.js';
import type { RowIssue } from './schema.js';
import { TextInterner } from './text-interner.js';

export interface FlowContext {
  /** Seconds since the Unix epoch (fractional), or null when the file has no timestamp. */
  readonly ts: number | null;
  readonly uid: string | null;
  readonly srcAddr: string | null;
  readonly srcPort: number | null;
  readonly dstAddr: string | null;
  readonly dstPort: number | null;
}

export type ContextKey = keyof FlowContext;

/** Every context key, in the order alert lines write them. */
export const CONTEXT_KEYS: readonly ContextKey[] = [
  'ts',
  'uid',
  'srcAddr',
  'srcPort',
  'dstAddr',
  'dstPort',
];

/** Which column of a file holds each context value (absent keys stay null). */
export type ContextColumns = Partial<Record<ContextKey, string>>;

/** A column may be a model field too (Zeek's responder port is both). */
export const ZEEK_CONTEXT_COLUMNS: ContextColumns = {
  ts: 'ts',
  uid: 'uid',
  srcAddr: 'id.orig_h',
  srcPort: 'id.orig_p',
  dstAddr: 'id.resp_h',
  dstPort: 'id.resp_p',
};

const PORT_MAX = 65_535;

export interface Invalid {
  readonly problem: string;
}

export function isInvalid(value: unknown): value is Invalid {
  return typeof value === 'object' && value !== null && 'problem' in value;
}

/**
 * The value of one context cell: a number for `ts` and the ports, text otherwise, null for an
 * empty cell, or why the cell is invalid.
 */
export function contextValue(key: ContextKey, text: string): string | number | null | Invalid {
  if (text.length === 0) return null;
  if (key === 'ts') return timestampOf(text);
  if (key === 'srcPort' || key === 'dstPort') return portOf(text);
  return text;
}

/** Epoch seconds (as Zeek writes them) or a date-time text (as CICFlowMeter writes them). */
function timestampOf(text: string): number | Invalid {
  const seconds = Number(text);
  if (seconds >= 0 && seconds < Number.POSITIVE_INFINITY) return seconds;
  const ms = Date.parse(text);
  return Number.isNaN(ms)
    ? { problem: `expected epoch seconds or a date-time, got '${text}'` }
    : ms / 1000;
}

function portOf(text: string): number | Invalid {
  const port = Number(text);
  return Number.isInteger(port) && port >= 0 && port <= PORT_MAX
    ? port
    : { problem: `expected a port number 0-${PORT_MAX}, got '${text}'` };
}

// Positions in ContextReader.columns, in CONTEXT_KEYS order.
const TS = 0;
const UID = 1;
const SRC_ADDR = 2;
const SRC_PORT = 3;
const DST_ADDR = 4;
const DST_PORT = 5;

/**
 * Reads the context of a row from its cells: compiled once per header into column indices, so
 * a file with no context columns costs nothing per row, and one with them a few comparisons.
 */
export class ContextReader {
  /** The column of each context key, in CONTEXT_KEYS order; -1 when the file has none. */
  private readonly columns: Int32Array;
  private readonly names: readonly string[];
  readonly present: boolean;
  /** The unset markers' bytes, for readLine. */
  private readonly unsetBytes: readonly Buffer[];
  /** A host's address repeats from row to row: one string for each (both columns share it). */
  private readonly addresses = new TextInterner();

  constructor(
    header: readonly string[],
    columns: ContextColumns,
    private readonly unset: readonly string[] = [],
  ) {
    this.names = CONTEXT_KEYS.map((key) => columns[key] ?? '');
    this.columns = Int32Array.from(this.names, (name) => (name ? header.indexOf(name) : -1));
    this.present = this.columns.some((index) => index >= 0);
    this.unsetBytes = unset.map((marker) => Buffer.from(marker));
  }

  /** The row's context (undefined when the file has none), or the issue with one of its cells. */
  read(cells: readonly string[], file: string, line: number): FlowContext | undefined | RowIssue {
    if (!this.present) return undefined;
    const tsText = this.text(cells, TS);
    const ts = tsText === null ? null : timestampOf(tsText);
    if (isInvalid(ts)) return this.issue(file, line, TS, ts);
    const srcPortText = this.text(cells, SRC_PORT);
    const srcPort = srcPortText === null ? null : portOf(srcPortText);
    if (isInvalid(srcPort)) return this.issue(file, line, SRC_PORT, srcPort);
    const dstPortText = this.text(cells, DST_PORT);
    const dstPort = dstPortText === null ? null : portOf(dstPortText);
    if (isInvalid(dstPort)) return this.issue(file, line, DST_PORT, dstPort);
    return {
      ts,
      uid: this.text(cells, UID),
      srcAddr: this.text(cells, SRC_ADDR),
      srcPort,
      dstAddr: this.text(cells, DST_ADDR),
      dstPort,
    };
  }

  /**
   * {@link read} of a line split into byte ranges (ASCII): the timestamp and the ports are
   * parsed from their bytes, the addresses interned; a value that is not a plain decimal goes
   * through read's own parsing of its text, so the values and the issues are read's.
   */
  readLine(cells: LineCells, file: string, line: number): FlowContext | undefined | RowIssue {
    if (!this.present) return undefined;
    let ts: number | null = null;
    if (this.isSet(cells, TS)) {
      const column = this.columns[TS]!;
      const seconds = parseNonNegativeBytes(
        cells.bytes,
        cells.starts[column]!,
        cells.ends[column]!,
      );
      const parsed = seconds === INVALID ? timestampOf(cells.text(column)) : seconds;
      if (isInvalid(parsed)) return this.issue(file, line, TS, parsed);
      ts = parsed;
    }
    const srcPort = this.portAt(cells, SRC_PORT);
    if (isInvalid(srcPort)) return this.issue(file, line, SRC_PORT, srcPort);
    const dstPort = this.portAt(cells, DST_PORT);
    if (isInvalid(dstPort)) return this.issue(file, line, DST_PORT, dstPort);
    return {
      ts,
      uid: this.isSet(cells, UID) ? cells.text(this.columns[UID]!) : null,
      srcAddr: this.addressAt(cells, SRC_ADDR),
      srcPort,
      dstAddr: this.addressAt(cells, DST_ADDR),
      dstPort,
    };
  }

  /** Whether the file has a column for context key `k` and its cell is neither empty nor unset. */
  private isSet(cells: LineCells, k: number): boolean {
    const column = this.columns[k]!;
    if (column < 0 || cells.ends[column] === cells.starts[column]) return false;
    for (const marker of this.unsetBytes) if (cells.equals(column, marker)) return false;
    return true;
  }

  private portAt(cells: LineCells, k: number): number | null | Invalid {
    if (!this.isSet(cells, k)) return null;
    const column = this.columns[k]!;
    const port = parseNonNegativeBytes(cells.bytes, cells.starts[column]!, cells.ends[column]!);
    return Number.isInteger(port) && port >= 0 && port <= PORT_MAX
      ? port
      : portOf(cells.text(column));
  }

  private addressAt(cells: LineCells, k: number): string | null {
    if (!this.isSet(cells, k)) return null;
    const column = this.columns[k]!;
    return this.addresses.text(cells.bytes, cells.starts[column]!, cells.ends[column]!);
  }

  /** The cell of context key `k`, or null when the file has no such column or the cell is unset. */
  private text(cells: readonly string[], k: number): string | null {
    const column = this.columns[k]!;
    if (column < 0) return null;
    const text = cells[column]!;
    return text.length === 0 || this.unset.includes(text) ? null : text;
  }

  private issue(file: string, line: number, k: number, invalid: Invalid): RowIssue {
    return { file, line, field: this.names[k]!, reason: invalid.problem };
  }
}
