/**
 * Reader for Zeek conn.log in Zeek's own tab-separated format: `#` directive lines (`#separator`,
 * `#fields`, `#unset_field`, ...) then one tab-separated record per line.
 */
import { ZEEK_CONN_SCHEMA, zeekConnColumns } from './builtin-schemas.js';
import {
  AS_TEXT,
  type DelimitedOptions,
  delimitedRows,
  type LineHandler,
  readError,
  streamRecords,
} from './delimited-stream.js';
import { ZEEK_CONTEXT_COLUMNS } from './flow-context.js';
import type { FormatReader } from './format-reader.js';
import type { LineCells } from './line-cells.js';
import { RowDecoder } from './row-decoder.js';
import { FlowFormatError, type FlowRow, type RowIssue } from './schema.js';

// Zeek escapes tabs and newlines inside values, so no quoting exists to honour.
const ZEEK_TEXT: DelimitedOptions = { delimiter: '\t', quote: false };
const HASH = 35;
const RUN_OF_SPACES = /\s+/;

/** Opens a Zeek TSV conn.log: reads the header lines now (to fail early on a missing column). */
export async function openZeekTsv(file: string): Promise<FormatReader> {
  const { directives, firstDataLine } = await readHeaderLines(file);
  return {
    schema: ZEEK_CONN_SCHEMA,
    rows: (counter) => {
      // Rows are parsed from the first record on (see DelimitedOptions.fromLine): the header
      // lines before it are replayed from the opening read instead.
      const header = new ZeekTsvHeader(file);
      for (const { cells, line } of directives) header.apply(cells, line);
      const handle = (cells: string[], line: number): FlowRow | RowIssue | null => {
        if (!isDirective(cells)) return header.decode(cells, line);
        header.apply(cells, line);
        return null;
      };
      // Directive lines are read as text (rare, and they change how the records that follow read).
      const handleLine: LineHandler = (cells, line) =>
        cells.bytes[cells.starts[0]!] === HASH ? AS_TEXT : header.decodeLine(cells, line);
      const options = { ...ZEEK_TEXT, fromLine: firstDataLine };
      return delimitedRows(file, options, handle, counter, handleLine);
    },
  };
}

interface NumberedRecord {
  readonly cells: string[];
  readonly line: number;
}

/** The directive lines before the first record, checked; and the line of that record. */
async function readHeaderLines(
  file: string,
): Promise<{ directives: NumberedRecord[]; firstDataLine: number }> {
  const header = new ZeekTsvHeader(file);
  const directives: NumberedRecord[] = [];
  let firstData: NumberedRecord | null = null;
  try {
    // Reading stops at the first record (directives are dropped, so they do not count).
    const records = streamRecords(
      file,
      ZEEK_TEXT,
      (cells, line) => {
        if (isDirective(cells)) {
          header.apply(cells, line);
          directives.push({ cells, line });
          return null;
        }
        header.requireFields(line);
        firstData = { cells, line };
        return firstData;
      },
      1,
    );
    for await (const _ of records) break;
  } catch (error) {
    throw readError(file, error);
  }
  if (!header.hasFields) {
    throw new FlowFormatError(`${file}: no #fields header line: not a Zeek TSV log`, file);
  }
  // A log with no records yet (only directives) gives an empty pass starting after them.
  const firstDataLine = (firstData as NumberedRecord | null)?.line ?? directives.at(-1)!.line + 1;
  return { directives, firstDataLine };
}

function isDirective(cells: readonly string[]): boolean {
  return cells[0]!.charCodeAt(0) === HASH;
}

/**
 * The state the directive lines set up. Directives may repeat mid-file (concatenated logs), so
 * the decoder is rebuilt after any of them.
 */
class ZeekTsvHeader {
  private unsetMarker = '-';
  private emptyMarker = '(empty)';
  private fieldNames: string[] | null = null;
  private fieldsLine = 0;
  private decoder: RowDecoder | null = null;
  /**
   * IoT-23 writes its last header cell as `tunnel_parents   label   detailed-label`, and each
   * record's last cell likewise, separated by spaces: the index of such a cell, else -1.
   */
  private spaceJoinedColumn = -1;
  private rawColumnCount = 0;

  constructor(private readonly file: string) {}

  get hasFields(): boolean {
    return this.fieldNames !== null;
  }

  requireFields(line: number): void {
    if (this.fieldNames === null) {
      throw new FlowFormatError(
        `${this.file}:${line}: a record before the #fields header line: not a Zeek TSV log?`,
        this.file,
        line,
      );
    }
  }

  apply(cells: readonly string[], line: number): void {
    const [directive, value = ''] = cells;
    this.decoder = null;
    if (directive!.startsWith('#separator')) {
      // Written as `#separator \x09`: one cell, as the separator itself is escaped.
      const separator = directive!.slice('#separator'.length).trim();
      if (separator !== '\\x09') {
        const message = `unsupported #separator '${separator}' (only tab-separated Zeek logs are read)`;
        throw new FlowFormatError(`${this.file}:${line}: ${message}`, this.file, line);
      }
    } else if (directive === '#unset_field') {
      this.unsetMarker = value;
    } else if (directive === '#empty_field') {
      this.emptyMarker = value;
    } else if (directive === '#path' && value !== 'conn') {
      throw new FlowFormatError(
        `${this.file}:${line}: this is a Zeek '${value}' log, not conn`,
        this.file,
        line,
      );
    } else if (directive === '#fields') {
      this.setFields(cells.slice(1), line);
    }
  }

  decode(cells: string[], line: number): FlowRow | RowIssue {
    const decoder = this.rowDecoder(line);
    const split = this.spaceJoinedColumn;
    if (split >= 0 && cells.length === this.rawColumnCount) {
      cells.splice(split, 1, ...cells[split]!.trim().split(RUN_OF_SPACES));
    }
    return decoder.decode(cells, line);
  }

  /** {@link decode} of a record line read as bytes. */
  decodeLine(cells: LineCells, line: number): FlowRow | RowIssue {
    const decoder = this.rowDecoder(line);
    const split = this.spaceJoinedColumn;
    if (split >= 0 && cells.count === this.rawColumnCount) cells.splitWords(split);
    return decoder.decodeLine(cells, line);
  }

  private rowDecoder(line: number): RowDecoder {
    this.requireFields(line);
    this.decoder ??= new RowDecoder(
      this.file,
      zeekConnColumns(this.fieldNames!, this.file, this.fieldsLine),
      ZEEK_CONN_SCHEMA,
      { unsetMarkers: [this.unsetMarker, this.emptyMarker], context: ZEEK_CONTEXT_COLUMNS },
    );
    return this.decoder;
  }

  private setFields(names: string[], line: number): void {
    this.rawColumnCount = names.length;
    this.spaceJoinedColumn = names.findIndex((name) => RUN_OF_SPACES.test(name.trim()));
    const split = this.spaceJoinedColumn;
    const expanded =
      split < 0
        ? names
        : names.flatMap((name, index) =>
            index === split ? name.trim().split(RUN_OF_SPACES) : [name],
          );
    zeekConnColumns(expanded, this.file, line);
    this.fieldNames = expanded;
    this.fieldsLine = line;
  }
}
