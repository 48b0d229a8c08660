/**
 * The public entry for reading flow files: picks the reader for a format, streams rows, skips and
 * counts malformed ones, and stops when too many are.
 */
import { BadRowCounter, type BadRowPolicy, badRowPolicy, type RowStats } from './bad-rows.js';
import { NFDUMP_CSV_MAPPING } from './builtin-schemas.js';
import type { CsvMapping } from './csv-mapping.js';
import { firstContentByte } from './flow-file.js';
import type { FormatReader } from './format-reader.js';
import type { FlowFormat } from './formats.js';
import { openCsv } from './read-csv.js';
import { openKdd } from './read-kdd.js';
import { openSuricataEve } from './read-suricata-eve.js';
import { openZeekJson } from './read-zeek-json.js';
import { openZeekTsv } from './read-zeek-tsv.js';
import { rowBatches, withBatches } from './row-batches.js';
import {
  FlowFormatError,
  type FlowRow,
  type FlowSchema,
  type RowIssue,
  sameSchema,
} from './schema.js';

export interface ReadOptions {
  /**
   * Stop with FlowFormatError once more than this share of rows is malformed (default 0.05);
   * checked after at least `minRowsForShare` rows (default 200) and at the end of the file.
   */
  maxBadShare?: number;
  minRowsForShare?: number;
  /** Called for every malformed row (the reader skips and counts it). */
  onBadRow?: (issue: RowIssue) => void;
  /** Called every PROGRESS_ROWS good rows with the pass's counts so far (for a progress bar). */
  onProgress?: (stats: Readonly<RowStats>) => void;
  /** For format 'csv' only (required there). */
  csvMapping?: CsvMapping;
}

export interface FlowSource {
  schema: FlowSchema;
  /**
   * The rows, streamed from disk. Each `for await` is a fresh pass over the file(s), so a source
   * can be read twice (sketch, then encode); `stats` then describe the latest pass.
   */
  rows: AsyncIterable<FlowRow>;
  /** Rows read and malformed rows skipped so far; updated as rows are read. */
  stats: { rows: number; badRows: number };
}

const OPENING_BRACE = 0x7b;
const OPENING_BRACKET = 0x5b;

/**
 * Opens one flow file. The schema is known on return (headers are read now); rows stream later.
 * Throws FlowFormatError for a missing, empty or header-less file.
 * @example
 * const source = await openFlows('KDDTest+.txt', 'nsl-kdd');
 * for await (const row of source.rows) console.log(row.line, row.values, row.label);
 */
export async function openFlows(
  file: string,
  format: FlowFormat,
  options: ReadOptions = {},
): Promise<FlowSource> {
  return readFlowFiles([file], format, options);
}

/**
 * Opens several files of one format as one source (rows in file order). Every file is opened
 * (headers read and checked) before this returns; all must have the same schema.
 */
export async function readFlowFiles(
  files: readonly string[],
  format: FlowFormat,
  options: ReadOptions = {},
): Promise<FlowSource> {
  if (files.length === 0) throw new Error('no flow files to read');
  const policy = badRowPolicy(options);
  const opened: OpenedFile[] = [];
  for (const file of files) {
    const reader = await openFormat(file, format, options.csvMapping);
    const first = opened[0];
    if (first !== undefined && !sameSchema(first.reader.schema, reader.schema)) {
      const message = `${file}: schema '${reader.schema.name}' differs from that of ${first.file} ('${first.reader.schema.name}')`;
      throw new FlowFormatError(message, file);
    }
    opened.push({ file, reader });
  }
  return flowSource(opened, policy);
}

interface OpenedFile {
  readonly file: string;
  readonly reader: FormatReader;
}

async function openFormat(
  file: string,
  format: FlowFormat,
  csvMapping: CsvMapping | undefined,
): Promise<FormatReader> {
  if (format === 'csv' && csvMapping === undefined) {
    throw new TypeError("format 'csv' needs options.csvMapping to map columns to fields");
  }
  const firstByte = await firstContentByte(file);
  switch (format) {
    case 'nsl-kdd':
    case 'kdd99':
      return openKdd(file, format);
    case 'csv':
      return openCsv(file, csvMapping!);
    case 'suricata-eve':
      return openSuricataEve(file);
    case 'nfdump':
      // nfdump never quotes: read line by line, so a followed export's newest row is not held
      // back (csv-parse keeps a file's last line until it sees what follows it).
      return openCsv(file, NFDUMP_CSV_MAPPING, 'nfdump', false);
    case 'zeek':
      if (firstByte === OPENING_BRACE) return openZeekJson(file);
      if (firstByte === OPENING_BRACKET) {
        const message = `${file}: a JSON array is not read; Zeek JSON logs have one object per line (LogAscii::use_json=T)`;
        throw new FlowFormatError(message, file);
      }
      return openZeekTsv(file);
  }
}

function flowSource(opened: readonly OpenedFile[], policy: BadRowPolicy): FlowSource {
  const stats: RowStats = { rows: 0, badRows: 0 };
  /** Starts a pass: stats from zero, and the only file's rows when there is one file. */
  const start = () => {
    stats.rows = 0;
    stats.badRows = 0;
    const { file, reader } = opened[0]!;
    return opened.length === 1 ? reader.rows(new BadRowCounter(file, policy, stats)) : null;
  };
  const oneByOne: AsyncIterable<FlowRow> = {
    [Symbol.asyncIterator]() {
      const only = start();
      return (only ?? concatenate(opened, policy, stats))[Symbol.asyncIterator]();
    },
  };
  const batches = () => {
    const only = start();
    return only ? rowBatches(only) : concatenateBatches(opened, policy, stats);
  };
  return { schema: opened[0]!.reader.schema, rows: withBatches(oneByOne, batches), stats };
}

/** The bad-row share is judged per file: one broken file should not hide in a large good one. */
async function* concatenate(
  opened: readonly OpenedFile[],
  policy: BadRowPolicy,
  stats: RowStats,
): AsyncGenerator<FlowRow> {
  for (const [index, { file, reader }] of opened.entries()) {
    const rows = reader.rows(new BadRowCounter(file, policy, stats));
    if (index === 0) yield* rows;
    else for await (const row of rows) yield { ...row, file: index };
  }
}

/** concatenate, in the readers' batches. */
async function* concatenateBatches(
  opened: readonly OpenedFile[],
  policy: BadRowPolicy,
  stats: RowStats,
): AsyncGenerator<readonly FlowRow[]> {
  for (const [index, { file, reader }] of opened.entries()) {
    const batches = rowBatches(reader.rows(new BadRowCounter(file, policy, stats)));
    if (index === 0) yield* batches;
    else for await (const batch of batches) yield batch.map((row) => ({ ...row, file: index }));
  }
}
