/** The model fields a format yields, known without opening a file (the coordinator needs it). */
import {
  KDD99_COLUMNS,
  loadCsvMapping,
  NSL_KDD_COLUMNS,
  ZEEK_CONN_SCHEMA,
} from './builtin-schemas.js';
import { csvSchema } from './csv-mapping.js';
import type { FlowFormat } from './formats.js';
import type { FlowSchema } from './schema.js';

export async function schemaForFormat(
  format: FlowFormat,
  csvMappingFile = '',
): Promise<FlowSchema> {
  switch (format) {
    case 'nsl-kdd':
      return NSL_KDD_COLUMNS.schema;
    case 'kdd99':
      return KDD99_COLUMNS.schema;
    case 'zeek':
      return ZEEK_CONN_SCHEMA;
    case 'csv':
      if (!csvMappingFile) throw new Error("format 'csv' needs a column mapping (data.csvSchema)");
      return csvSchema(await loadCsvMapping(csvMappingFile));
  }
}
