/**
 * Flow schema: which columns of a flow record are model inputs and of what kind.
 * Addresses, ids and timestamps are never model inputs: rows carry them as their FlowContext.
 */
import type { FlowContext } from './flow-context.js';

/** What a numeric field measures; all are non-negative. `flag` is 0/1. */
export type NumericKind = 'count' | 'bytes' | 'duration' | 'rate' | 'flag';

export type FieldSpec =
  | { readonly name: string; readonly kind: 'categorical' }
  | { readonly name: string; readonly kind: 'numeric'; readonly numeric: NumericKind }
  | { readonly name: string; readonly kind: 'ignored' };

/** A model input field (never `ignored`). */
export type ModelField = Exclude<FieldSpec, { kind: 'ignored' }>;

export interface FlowSchema {
  /** Short name, e.g. `nsl-kdd`, `zeek-conn`. */
  readonly name: string;
  /** Model input fields, in the order a {@link FlowRow} carries their values. */
  readonly fields: readonly ModelField[];
}

/** One parsed record: its model inputs, its label, and where it came from. */
export interface FlowRow {
  /** 1-based physical line number in the source file. */
  readonly line: number;
  /** One value per `schema.fields`: categorical -> string, numeric -> finite number >= 0. */
  readonly values: readonly (string | number)[];
  /** Ground-truth label when the format carries one (`normal`, `neptune`, ...), else null. */
  readonly label: string | null;
  /**
   * Timestamp, uid, addresses and ports when the format names them (Zeek, CSV mappings that do);
   * absent otherwise (NSL-KDD). Never a model input.
   */
  readonly context?: FlowContext;
  /** Which of the source's files the row is from, by position (absent: the first). */
  readonly file?: number;
}

/** A malformed row: where it is and why it was skipped. */
export interface RowIssue {
  readonly file: string;
  readonly line: number;
  /** The offending field, or null when the row as a whole is wrong (e.g. column count). */
  readonly field: string | null;
  readonly reason: string;
}

export function describeIssue(issue: RowIssue): string {
  const where = issue.field === null ? '' : ` field '${issue.field}'`;
  return `${issue.file}:${issue.line}${where}: ${issue.reason}`;
}

/** Thrown when input cannot be read at all, or too many rows are malformed. */
export class FlowFormatError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number | null = null,
  ) {
    super(message);
    this.name = 'FlowFormatError';
  }
}

// A Record forces this list to name every NumericKind (the compiler rejects a missing one).
const NUMERIC_KIND_SET: Record<NumericKind, true> = {
  count: true,
  bytes: true,
  duration: true,
  rate: true,
  flag: true,
};

/** Every {@link NumericKind}, for validating configuration and mapping files. */
export const NUMERIC_KINDS = Object.keys(NUMERIC_KIND_SET) as readonly NumericKind[];

/** Whether rows of `a` and `b` carry the same fields, of the same kinds, in the same order. */
export function sameSchema(a: FlowSchema, b: FlowSchema): boolean {
  return (
    a.name === b.name &&
    a.fields.length === b.fields.length &&
    a.fields.every((field, index) => {
      const other = b.fields[index]!;
      if (field.name !== other.name || field.kind !== other.kind) return false;
      return (
        field.kind !== 'numeric' || (other.kind === 'numeric' && field.numeric === other.numeric)
      );
    })
  );
}
