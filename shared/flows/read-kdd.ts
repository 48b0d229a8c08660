/** Reader for the KDD family: NSL-KDD and the original KDD Cup 1999 files (comma-separated, no header). */
import { KDD99_COLUMNS, NSL_KDD_COLUMNS, normaliseKdd99Label } from './builtin-schemas.js';
import {
  type DelimitedOptions,
  delimitedRows,
  type LineHandler,
  type RecordHandler,
} from './delimited-stream.js';
import type { FormatReader } from './format-reader.js';
import { RowDecoder } from './row-decoder.js';

// The KDD files never quote: a stray quote is data, reported on its field rather than derailing the parser.
const KDD_TEXT: DelimitedOptions = { delimiter: ',', quote: false };

/** Opens an NSL-KDD (`nsl-kdd`) or KDD Cup 1999 (`kdd99`) file; its schema is fixed. */
export function openKdd(file: string, format: 'nsl-kdd' | 'kdd99'): FormatReader {
  const layout = format === 'nsl-kdd' ? NSL_KDD_COLUMNS : KDD99_COLUMNS;
  const labels = format === 'kdd99' ? { normaliseLabel: normaliseKdd99Label } : {};
  const decoder = new RowDecoder(file, layout.columns, layout.schema, labels);
  const handle: RecordHandler = (cells, line) => decoder.decode(cells, line);
  const handleLine: LineHandler = (cells, line) => decoder.decodeLine(cells, line);
  return {
    schema: layout.schema,
    rows: (counter) => delimitedRows(file, KDD_TEXT, handle, counter, handleLine),
  };
}
