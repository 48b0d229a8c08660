/**
 * Streams a delimited file (CSV, NSL-KDD, Zeek TSV) and hands every record to a handler
 * together with its physical line number; shared by the delimited readers. Quoted files go
 * through csv-parse; files that never quote are split into lines and cells directly.
 */
import { pipeline } from 'node:stream';
import { type CsvError, type Options, type Parser, parse } from 'csv-parse';
import type { BadRowCounter } from './bad-rows.js';
import { fileBytes } from './file-bytes.js';
import { fileError } from './flow-file.js';
import { LineCells } from './line-cells.js';
import { type BatchedRows, oneByOne, withBatches } from './row-batches.js';
import { isRowIssue } from './row-decoder.js';
import { FlowFormatError, type FlowRow, type RowIssue } from './schema.js';

/**
 * Decodes one record; null drops it silently (a header or directive line), END_OF_ROWS ends
 * the file's rows there (a trailer follows).
 */
export type RecordHandler<T = FlowRow | RowIssue | EndOfRows> = (
  cells: string[],
  line: number,
) => T | null;

/** What a record handler returns for the line that ends a file's rows. */
export const END_OF_ROWS = Object.freeze({ endOfRows: true as const });
export type EndOfRows = typeof END_OF_ROWS;

function isEndOfRows(item: object): item is EndOfRows {
  return item === END_OF_ROWS;
}

export interface DelimitedOptions {
  readonly delimiter: string;
  /** Honour `"` quoting (generic CSV); formats that never quote read quotes as plain text. */
  readonly quote: boolean;
  /** First line to read (1-based; unquoted reads only): the lines before it are skipped. */
  readonly fromLine?: number;
}

/** Far longer than any flow record; a longer one means a binary file or the wrong delimiter. */
export const MAX_RECORD_CHARS = 1 << 20;
const READ_CHUNK_BYTES = 256 * 1024;

/**
 * The records of `file`, each passed through `handle` with its physical line number (for a
 * quoted value spanning lines, the record's last line): as csv-parse reads them when the file
 * quotes, else one per line.
 * With `maxRecords` the parser stops there, so a header probe never parses further.
 * Parser errors (broken quoting, an over-long record) end the read with a FlowFormatError: after
 * them csv-parse cannot tell where the next record starts, so skipping would merge rows.
 */
export function streamRecords<T extends object>(
  file: string,
  options: DelimitedOptions,
  handle: RecordHandler<T>,
  maxRecords?: number,
): AsyncIterable<T> {
  // Unquoted, a record is a line: the line splitter hands one on as soon as its newline is
  // read, where csv-parse holds the last line back for what may follow it (a followed log's
  // header read would wait for its second record).
  if (!options.quote) return unquotedRecords(file, options.delimiter, handle, maxRecords);
  const parser = parse({
    ...parserOptions(options.delimiter, options.quote),
    skip_empty_lines: true,
    to: maxRecords,
    // When a record completes, the parser's line count is the record's (last) physical line.
    on_record: (record, context) => handle(record, context.lines),
    // csv-parse types on_record as returning records of the input type; ours returns decoded ones.
  } satisfies Options<T | null, string[]> as Options);
  return streamFile(file, parser);
}

/** streamRecords for a file that never quotes: one record per non-blank line. */
async function* unquotedRecords<T extends object>(
  file: string,
  delimiter: string,
  handle: RecordHandler<T>,
  maxRecords = Number.POSITIVE_INFINITY,
): AsyncGenerator<T> {
  for await (const batch of unquotedLines(file, delimiter, 1, handle, undefined, maxRecords)) {
    yield* batch;
  }
}

/**
 * Decodes an ASCII line from its bytes (see LineCells); AS_TEXT has the line decoded as text
 * and handed to the record handler instead (a directive line, a header).
 */
export type LineHandler<T = FlowRow | RowIssue | EndOfRows> = (
  cells: LineCells,
  line: number,
) => T | null | typeof AS_TEXT;

/** What a line handler returns for a line the record handler is to read. */
export const AS_TEXT = Symbol('as text');

/**
 * The rows of `file`, counting and reporting malformed ones through `counter`. For a file that
 * never quotes, `lineHandle` (when given) reads its ASCII lines from their bytes. The rows
 * come one by one, or in the batches they were read in (row-batches.ts).
 */
export function delimitedRows(
  file: string,
  options: DelimitedOptions,
  handle: RecordHandler,
  counter: BadRowCounter,
  lineHandle?: LineHandler,
): BatchedRows {
  return withBatches(
    {
      [Symbol.asyncIterator]: () =>
        delimitedRowsOneByOne(file, options, handle, counter, lineHandle),
    },
    () => delimitedRowBatches(file, options, handle, counter, lineHandle),
  );
}

async function* delimitedRowsOneByOne(
  file: string,
  options: DelimitedOptions,
  handle: RecordHandler,
  counter: BadRowCounter,
  lineHandle?: LineHandler,
): AsyncGenerator<FlowRow> {
  try {
    const batches = options.quote
      ? oneByOne(streamRecords(file, options, handle))
      : unquotedLines(file, options.delimiter, options.fromLine ?? 1, handle, lineHandle);
    reading: for await (const batch of batches) {
      for (const item of batch) {
        if (isEndOfRows(item)) break reading;
        if (isRowIssue(item)) {
          counter.bad(item);
        } else {
          counter.good();
          yield item;
        }
      }
    }
  } catch (error) {
    throw readError(file, error);
  }
  counter.finish();
}

/**
 * delimitedRows a read chunk at a time. Rows read before an error (a malformed share over the
 * limit, a read failure) are handed on before it is thrown.
 */
async function* delimitedRowBatches(
  file: string,
  options: DelimitedOptions,
  handle: RecordHandler,
  counter: BadRowCounter,
  lineHandle?: LineHandler,
): AsyncGenerator<FlowRow[]> {
  let rows: FlowRow[] = [];
  try {
    const batches = options.quote
      ? oneByOne(streamRecords(file, options, handle))
      : unquotedLines(file, options.delimiter, options.fromLine ?? 1, handle, lineHandle);
    reading: for await (const batch of batches) {
      for (const item of batch) {
        if (isEndOfRows(item)) break reading;
        if (isRowIssue(item)) {
          counter.bad(item);
        } else {
          counter.good();
          rows.push(item);
        }
      }
      if (rows.length > 0) yield rows;
      rows = [];
    }
  } catch (error) {
    if (rows.length > 0) yield rows;
    throw readError(file, error);
  }
  if (rows.length > 0) yield rows;
  counter.finish();
}

/**
 * The decoded records of an unquoted file from line `fromLine` on, one per non-blank line.
 * Without quoting a record is a line split at the delimiter, so this splits lines itself:
 * csv-parse's character-by-character state machine took 1.5 s of a 300,000-line Zeek log that
 * this reads in 0.3 s, on the thread that feeds scoring. An ASCII line goes to `lineHandle`
 * as byte ranges when there is one; any other line is decoded from its bytes on its own (LF
 * never occurs inside a UTF-8 sequence, so a chunk boundary never splits a character of a
 * line) and split as a string. Either way a cell kept for long (a host address in a traffic
 * window) is a string of its own, holding no read chunk alive. Lines end in LF or CRLF; a
 * leading byte-order mark is dropped, as csv-parse's `bom` did. Each physical line counts,
 * blank ones included, which numbers the lines without csv-parse's per-record info objects.
 * The records come in batches, those of one read chunk, so that a row costs its consumer one
 * step of an async generator, not two. A batch ends at END_OF_ROWS and after `maxRecords`
 * records (the reading stops there), and before an error, which is thrown after the records
 * read before it are handed on.
 */
async function* unquotedLines<T extends object>(
  file: string,
  delimiter: string,
  fromLine: number,
  handle: RecordHandler<T>,
  lineHandle?: LineHandler<T>,
  maxRecords = Number.POSITIVE_INFINITY,
): AsyncGenerator<T[]> {
  const input = fileBytes(file, { highWaterMark: READ_CHUNK_BYTES });
  const delimiterByte = delimiter.length === 1 ? delimiter.charCodeAt(0) : 0x80;
  const fast = delimiterByte < 0x80 ? lineHandle : undefined;
  const cells = new LineCells();
  let rest: Buffer | null = null;
  let line = 0;
  const record = (bytes: Buffer, start: number, end: number): T | null => {
    line++;
    if (line < fromLine) return null;
    if (end - start > MAX_RECORD_CHARS) throw tooLong(file, line);
    const stop = end > start && bytes[end - 1] === CR ? end - 1 : end;
    if (stop === start) return null;
    if (fast !== undefined && cells.split(bytes, start, stop, delimiterByte)) {
      const item = fast(cells, line);
      if (item !== AS_TEXT) return item;
    }
    let text = bytes.toString('utf8', start, stop);
    if (line === 1 && text.charCodeAt(0) === BOM) text = text.slice(1);
    return text === '' ? null : handle(text.split(delimiter), line);
  };
  let records = 0;
  let batch: T[] = [];
  /** Adds a record to the batch; false once the reading is to stop after it. */
  const add = (item: T | null): boolean => {
    if (item === null) return true;
    batch.push(item);
    return ++records < maxRecords && item !== END_OF_ROWS;
  };
  try {
    for await (const read of input as AsyncIterable<Buffer>) {
      const bytes: Buffer = rest ? Buffer.concat([rest, read]) : read;
      let start = 0;
      for (let end = bytes.indexOf(LF); end >= 0; end = bytes.indexOf(LF, start)) {
        const more = add(record(bytes, start, end));
        start = end + 1;
        if (!more) return yield batch;
      }
      rest = start < bytes.length ? bytes.subarray(start) : null;
      if (rest && rest.length > MAX_RECORD_CHARS) throw tooLong(file, line + 1);
      if (batch.length > 0) yield batch;
      batch = [];
    }
    if (rest) add(record(rest, 0, rest.length));
  } catch (error) {
    if (batch.length > 0) yield batch;
    throw error;
  }
  if (batch.length > 0) yield batch;
}

const LF = 0x0a;
const CR = 0x0d;
const BOM = 0xfeff;

/** The same bound csv-parse applies, counted in bytes here (a multi-byte line meets it sooner). */
const tooLong = (file: string, line: number) =>
  new FlowFormatError(
    `${file}:${line}: a record is longer than ${MAX_RECORD_CHARS} characters: wrong format or delimiter?`,
    file,
    line,
  );

function parserOptions(delimiter: string, quote: boolean): Options {
  return {
    delimiter,
    quote: quote ? '"' : false,
    bom: true,
    // Column counts are checked by the decoders, which report them as row issues.
    relax_column_count: true,
    max_record_size: MAX_RECORD_CHARS,
  };
}

function streamFile<T>(file: string, parser: Parser): AsyncIterable<T> {
  const input = fileBytes(file, { highWaterMark: READ_CHUNK_BYTES });
  // pipeline forwards read errors to the parser and closes the file when the parser is destroyed.
  pipeline(input, parser, () => {});
  return parser;
}

/** A FlowFormatError for anything thrown while streaming `file` (passed through if it is one). */
export function readError(file: string, error: unknown): FlowFormatError {
  const code = (error as Partial<CsvError>).code;
  if (code === undefined || !code.startsWith('CSV_')) return fileError(file, error);
  const line =
    typeof (error as CsvError).lines === 'number' ? ((error as CsvError).lines as number) : null;
  const where = line === null ? file : `${file}:${line}`;
  const problem =
    code === 'CSV_MAX_RECORD_SIZE'
      ? `a record is longer than ${MAX_RECORD_CHARS} characters: wrong format or delimiter?`
      : `cannot parse (${(error as Error).message}); reading stopped because the following records cannot be located reliably`;
  return new FlowFormatError(`${where}: ${problem}`, file, line);
}
