/**
 * Where a flow happened and who took part: its timestamp, uid, addresses and ports. Rows carry
 * this beside their model fields so the derive stage can compute per-host traffic features and
 * alerts can name the flow; it is never a model input and never leaves the site.
 */
import type { RowIssue } from './schema.js';

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
const NUMERIC_TIME = /^\d+(\.\d+)?$/;

/**
 * The value of one context cell: a number for `ts` and the ports, text otherwise, null for an
 * empty cell, or why the cell is invalid.
 */
export function contextValue(key: ContextKey, text: string): string | number | null | Invalid {
  if (text.length === 0) return null;
  if (key === 'ts') return timestampOf(text);
  if (key === 'srcPort' || key === 'dstPort') {
    const port = Number(text);
    return Number.isInteger(port) && port >= 0 && port <= PORT_MAX
      ? port
      : { problem: `expected a port number 0-${PORT_MAX}, got '${text}'` };
  }
  return text;
}

export interface Invalid {
  readonly problem: string;
}

export function isInvalid(value: unknown): value is Invalid {
  return typeof value === 'object' && value !== null && 'problem' in value;
}

/** Epoch seconds (as Zeek writes them) or a date-time text (as CICFlowMeter writes them). */
function timestampOf(text: string): number | Invalid {
  if (NUMERIC_TIME.test(text)) return Number(text);
  const ms = Date.parse(text);
  return Number.isNaN(ms)
    ? { problem: `expected epoch seconds or a date-time, got '${text}'` }
    : ms / 1000;
}

/**
 * Reads the context of a row from its cells: compiled once per header into column indices, so
 * a file with no context columns costs nothing per row.
 */
export class ContextReader {
  private readonly keys: ContextKey[] = [];
  private readonly indices: number[] = [];
  private readonly names: string[] = [];

  constructor(
    header: readonly string[],
    columns: ContextColumns,
    private readonly unset: readonly string[] = [],
  ) {
    for (const key of CONTEXT_KEYS) {
      const name = columns[key];
      const index = name === undefined ? -1 : header.indexOf(name);
      if (index < 0) continue;
      this.keys.push(key);
      this.indices.push(index);
      this.names.push(name!);
    }
  }

  get present(): boolean {
    return this.keys.length > 0;
  }

  /** The row's context (undefined when the file has none), or the issue with one of its cells. */
  read(cells: readonly string[], file: string, line: number): FlowContext | undefined | RowIssue {
    if (this.keys.length === 0) return undefined;
    const context: Record<ContextKey, string | number | null> = {
      ts: null,
      uid: null,
      srcAddr: null,
      srcPort: null,
      dstAddr: null,
      dstPort: null,
    };
    for (let k = 0; k < this.keys.length; k++) {
      const text = cells[this.indices[k]!]!;
      if (this.unset.includes(text)) continue;
      const value = contextValue(this.keys[k]!, text);
      if (isInvalid(value)) return { file, line, field: this.names[k]!, reason: value.problem };
      context[this.keys[k]!] = value;
    }
    return context as unknown as FlowContext;
  }
}
