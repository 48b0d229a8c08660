/**
 * The model fields a format yields, derived ones included, known without opening a file (the
 * coordinator needs it to agree with what its sites' pipelines derive).
 */
import {
  EVE_FLOW_SCHEMA,
  KDD99_COLUMNS,
  loadCsvMapping,
  NFDUMP_CSV_MAPPING,
  NSL_KDD_COLUMNS,
  ZEEK_CONN_SCHEMA,
} from './builtin-schemas.js';
import { csvSchema } from './csv-mapping.js';
import { defaultDeriveStages, derivedSchema } from './derive.js';
import type { FlowFormat } from './formats.js';
import type { FlowSchema } from './schema.js';

export async function schemaForFormat(
  format: FlowFormat,
  csvMappingFile = '',
  trafficFeatures = true,
  lastConnections = 0,
): Promise<FlowSchema> {
  switch (format) {
    case 'nsl-kdd':
      return NSL_KDD_COLUMNS.schema;
    case 'kdd99':
      return KDD99_COLUMNS.schema;
    case 'zeek':
      return zeekSchema(trafficFeatures, lastConnections);
    case 'nfdump': {
      const schema = csvSchema(NFDUMP_CSV_MAPPING, 'nfdump');
      const context = NFDUMP_CSV_MAPPING.context;
      const options = { traffic: trafficFeatures, lastConnections, csvContext: context };
      return derivedSchema(schema, defaultDeriveStages(format, schema, options));
    }
    case 'suricata-eve': {
      const options = { traffic: trafficFeatures, lastConnections };
      return derivedSchema(EVE_FLOW_SCHEMA, defaultDeriveStages(format, EVE_FLOW_SCHEMA, options));
    }
    case 'csv': {
      if (!csvMappingFile) throw new Error("format 'csv' needs a column mapping (data.csvSchema)");
      const mapping = await loadCsvMapping(csvMappingFile);
      const schema = csvSchema(mapping);
      const options = { traffic: trafficFeatures, lastConnections, csvContext: mapping.context };
      return derivedSchema(schema, defaultDeriveStages(format, schema, options));
    }
  }
}

/** The fields of Zeek conn.log rows after the pipeline: the logged ones, then the derived. */
export function zeekSchema(trafficFeatures = true, lastConnections = 0): FlowSchema {
  const options = { traffic: trafficFeatures, lastConnections };
  const stages = defaultDeriveStages('zeek', ZEEK_CONN_SCHEMA, options);
  return derivedSchema(ZEEK_CONN_SCHEMA, stages);
}
