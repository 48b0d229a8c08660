/** Reader for generic CSV flow files with a header row, mapped to model fields by a CsvMapping. */
import { type CsvMapping, csvColumns, csvSchema } from './csv-mapping.js';
import {
  type DelimitedOptions,
  delimitedRows,
  END_OF_ROWS,
  type EndOfRows,
  readError,
  streamRecords,
} from './delimited-stream.js';
import type { FormatReader } from './format-reader.js';
import { RowDecoder } from './row-decoder.js';
import { FlowFormatError, type FlowRow, type RowIssue } from './schema.js';

/**
 * Opens a CSV file: reads its header now (to fail early on a column the mapping needs), rows
 * later. A mapping with `columns` reads a file without a header line, naming its columns by
 * position; one with `endMarker` stops at the line that starts with it.
 */
export async function openCsv(
  file: string,
  mapping: CsvMapping,
  schemaName = 'csv',
  /** False for a writer that never quotes (nfdump): lines are split directly, as they come. */
  quoted = true,
): Promise<FormatReader> {
  const text: DelimitedOptions = { delimiter: mapping.delimiter ?? ',', quote: quoted };
  const schema = csvSchema(mapping, schemaName);
  const given = mapping.columns;
  const header = given ? { cells: given, line: 0 } : await readHeader(file, text);
  csvColumns(header.cells, mapping, file, header.line);
  const decoderFor = (cells: readonly string[], line: number) =>
    new RowDecoder(file, csvColumns(cells, mapping, file, line), schema, {
      context: mapping.context,
    });
  return {
    schema,
    rows: (counter) => {
      // Each pass re-reads the header (the first record of the file) unless the mapping names it.
      let decoder: RowDecoder | null = given ? decoderFor(given, 0) : null;
      const handle = (cells: string[], line: number): FlowRow | RowIssue | EndOfRows | null => {
        if (mapping.endMarker !== undefined && cells[0]?.trim() === mapping.endMarker)
          return END_OF_ROWS;
        if (decoder !== null) return decoder.decode(cells, line);
        decoder = decoderFor(cells, line);
        return null;
      };
      return delimitedRows(file, text, handle, counter);
    },
  };
}

async function readHeader(
  file: string,
  text: DelimitedOptions,
): Promise<{ cells: string[]; line: number }> {
  try {
    for await (const header of streamRecords(file, text, (cells, line) => ({ cells, line }), 1)) {
      return header;
    }
  } catch (error) {
    throw readError(file, error);
  }
  throw new FlowFormatError(`${file}: no header row`, file);
}
