/**
 * Turns the text cells of one delimited record into a FlowRow, or a RowIssue saying why not.
 * Column roles are compiled once into small typed arrays so the per-row loop only switches on them.
 */
import type { ColumnRole } from './columns.js';
import {
  flagProblem,
  INVALID,
  numberProblem,
  parseFlag,
  parseFlagBytes,
  parseNonNegative,
  parseNonNegativeBytes,
} from './field-text.js';
import { type ContextColumns, ContextReader } from './flow-context.js';
import type { LineCells } from './line-cells.js';
import type { FlowRow, FlowSchema, RowIssue } from './schema.js';
import { TextInterner } from './text-interner.js';

const SKIP = 0;
const CATEGORICAL = 1;
const NUMBER = 2;
const FLAG = 3;
const LABEL = 4;

export interface DecoderOptions {
  /**
   * Markers for "no value" (Zeek's unset `-` and empty `(empty)`): 0 on a numeric field, the
   * category `-` on a categorical one, a null label.
   */
  readonly unsetMarkers?: readonly string[];
  readonly normaliseLabel?: (label: string) => string;
  /** The columns holding the row's timestamp, uid, addresses and ports (see FlowContext). */
  readonly context?: ContextColumns;
}

/** The category a Zeek unset or empty value becomes. */
export const UNSET_CATEGORY = '-';

/** Decodes records whose columns have the given roles into rows of `schema`. */
export class RowDecoder {
  readonly columnCount: number;
  private readonly operations: Uint8Array;
  /** Index in `values` per column (-1 for columns that are not model fields). */
  private readonly targets: Int32Array;
  private readonly names: readonly string[];
  private readonly fieldCount: number;
  private readonly unsetMarker: string | null;
  private readonly emptyMarker: string | null;
  private readonly normaliseLabel: ((label: string) => string) | undefined;
  private readonly context: ContextReader;
  /** The markers' bytes, for decodeLine. */
  private readonly unsetBytes: Uint8Array | null;
  private readonly emptyBytes: Uint8Array | null;
  /**
   * Per column: the interner of its text (categorical and label columns), else null. The
   * context reader interns the addresses; a uid or a timestamp never repeats, and looking them
   * up cost more than it saved.
   */
  private readonly interners: (TextInterner | null)[];

  constructor(
    private readonly file: string,
    columns: readonly ColumnRole[],
    schema: FlowSchema,
    options: DecoderOptions = {},
  ) {
    this.columnCount = columns.length;
    this.fieldCount = schema.fields.length;
    this.names = columns.map((column) => column.name);
    this.operations = Uint8Array.from(columns, operationOf);
    const fieldIndex = new Map(schema.fields.map((field, index) => [field.name, index]));
    this.targets = Int32Array.from(columns, (column) => fieldIndex.get(column.name) ?? -1);
    const covered = columns.filter((column, index) => this.targets[index]! >= 0 && isModel(column));
    if (covered.length !== this.fieldCount) {
      throw new Error(
        `columns [${this.names.join(', ')}] do not cover schema '${schema.name}' once each`,
      );
    }
    this.unsetMarker = options.unsetMarkers?.[0] ?? null;
    this.emptyMarker = options.unsetMarkers?.[1] ?? this.unsetMarker;
    this.normaliseLabel = options.normaliseLabel;
    this.context = new ContextReader(this.names, options.context ?? {}, options.unsetMarkers);
    this.unsetBytes = this.unsetMarker === null ? null : Buffer.from(this.unsetMarker);
    this.emptyBytes = this.emptyMarker === null ? null : Buffer.from(this.emptyMarker);
    this.interners = columns.map((column) =>
      column.kind === 'categorical' || column.kind === 'label' ? new TextInterner() : null,
    );
  }

  /** The row for `cells` read at `line`, or why it is malformed. */
  decode(cells: readonly string[], line: number): FlowRow | RowIssue {
    if (cells.length !== this.columnCount) {
      return this.issue(line, null, `expected ${this.columnCount} columns, got ${cells.length}`);
    }
    const { operations, targets, unsetMarker, emptyMarker } = this;
    const values: (string | number)[] = new Array(this.fieldCount);
    let label: string | null = null;
    for (let column = 0; column < cells.length; column++) {
      const operation = operations[column];
      if (operation === SKIP) continue;
      const cell = cells[column]!;
      const unset = unsetMarker !== null && (cell === unsetMarker || cell === emptyMarker);
      switch (operation) {
        case CATEGORICAL:
          if (cell.length === 0) return this.issue(line, column, 'expected a non-empty value');
          values[targets[column]!] = unset ? UNSET_CATEGORY : cell;
          break;
        case NUMBER: {
          const value = unset ? 0 : parseNonNegative(cell);
          if (value === INVALID) return this.issue(line, column, numberProblem(cell));
          values[targets[column]!] = value;
          break;
        }
        case FLAG: {
          const value = unset ? 0 : parseFlag(cell);
          if (value === INVALID) return this.issue(line, column, flagProblem(cell));
          values[targets[column]!] = value;
          break;
        }
        default:
          if (cell.length === 0) return this.issue(line, column, 'expected a non-empty label');
          if (!unset) label = this.normaliseLabel === undefined ? cell : this.normaliseLabel(cell);
      }
    }
    if (!this.context.present) return { line, values, label };
    const context = this.context.read(cells, this.file, line);
    return context !== undefined && 'reason' in context
      ? context
      : { line, values, label, context };
  }

  /**
   * {@link decode} of a line split into `cells` (ASCII): the same rows and the same issues,
   * with numbers read from the bytes and repeated text interned.
   */
  decodeLine(cells: LineCells, line: number): FlowRow | RowIssue {
    if (cells.count !== this.columnCount) {
      return this.issue(line, null, `expected ${this.columnCount} columns, got ${cells.count}`);
    }
    const { operations, targets, unsetBytes, emptyBytes, interners } = this;
    const { bytes, starts, ends } = cells;
    const values: (string | number)[] = new Array(this.fieldCount);
    let label: string | null = null;
    for (let column = 0; column < this.columnCount; column++) {
      const operation = operations[column];
      if (operation === SKIP) continue;
      const start = starts[column]!;
      const end = ends[column]!;
      const unset =
        unsetBytes !== null &&
        (cells.equals(column, unsetBytes) || cells.equals(column, emptyBytes!));
      switch (operation) {
        case CATEGORICAL:
          if (end === start) return this.issue(line, column, 'expected a non-empty value');
          values[targets[column]!] = unset
            ? UNSET_CATEGORY
            : interners[column]!.text(bytes, start, end);
          break;
        case NUMBER: {
          const value = unset ? 0 : parseNonNegativeBytes(bytes, start, end);
          if (value === INVALID) return this.issue(line, column, numberProblem(cells.text(column)));
          values[targets[column]!] = value;
          break;
        }
        case FLAG: {
          const value = unset ? 0 : parseFlagBytes(bytes, start, end);
          if (value === INVALID) return this.issue(line, column, flagProblem(cells.text(column)));
          values[targets[column]!] = value;
          break;
        }
        default: {
          if (end === start) return this.issue(line, column, 'expected a non-empty label');
          if (unset) break;
          const text = interners[column]!.text(bytes, start, end);
          label = this.normaliseLabel === undefined ? text : this.normaliseLabel(text);
        }
      }
    }
    if (!this.context.present) return { line, values, label };
    const context = this.context.readLine(cells, this.file, line);
    return context !== undefined && 'reason' in context
      ? context
      : { line, values, label, context };
  }

  private issue(line: number, column: number | null, reason: string): RowIssue {
    return { file: this.file, line, field: column === null ? null : this.names[column]!, reason };
  }
}

/** Readers hand on rows and issues in one stream; a RowIssue is the one with a reason. */
export function isRowIssue(item: FlowRow | RowIssue): item is RowIssue {
  return (item as RowIssue).reason !== undefined;
}

function operationOf(column: ColumnRole): number {
  switch (column.kind) {
    case 'categorical':
      return CATEGORICAL;
    case 'numeric':
      return column.numeric === 'flag' ? FLAG : NUMBER;
    case 'label':
      return LABEL;
    default:
      return SKIP;
  }
}

function isModel(column: ColumnRole): boolean {
  return column.kind === 'categorical' || column.kind === 'numeric';
}
