/** Reader for generic CSV flow files with a header row, mapped to model fields by a CsvMapping. */
import { type CsvMapping, csvColumns, csvSchema } from './csv-mapping.js';
import {
  type DelimitedOptions,
  delimitedRows,
  readError,
  streamRecords,
} from './delimited-stream.js';
import type { FormatReader } from './format-reader.js';
import { RowDecoder } from './row-decoder.js';
import { FlowFormatError, type FlowRow, type RowIssue } from './schema.js';

/** Opens a CSV file: reads its header now (to fail early on a column the mapping needs), rows later. */
export async function openCsv(file: string, mapping: CsvMapping): Promise<FormatReader> {
  const text: DelimitedOptions = { delimiter: mapping.delimiter ?? ',', quote: true };
  const schema = csvSchema(mapping);
  const header = await readHeader(file, text);
  csvColumns(header.cells, mapping, file, header.line);
  return {
    schema,
    rows: (counter) => {
      // Each pass re-reads the header: the first record of the file.
      let decoder: RowDecoder | null = null;
      const handle = (cells: string[], line: number): FlowRow | RowIssue | null => {
        if (decoder !== null) return decoder.decode(cells, line);
        const columns = csvColumns(cells, mapping, file, line);
        decoder = new RowDecoder(file, columns, schema, { context: mapping.context });
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
