/**
 * The schemas fedflow knows by name (NSL-KDD, KDD Cup 99, Zeek conn.log) and how the columns of
 * their files map onto them. Generic CSV schemas come from a mapping file (see csv-mapping.ts).
 */
import { type ColumnRole, resolveColumns } from './columns.js';
import type { FlowSchema, ModelField } from './schema.js';

// The CSV mapping lives in its own module (it is a file format of its own); re-exported here so
// every schema source is importable from one place.
export { type CsvMapping, loadCsvMapping, parseCsvMapping } from './csv-mapping.js';

import type { CsvMapping } from './csv-mapping.js';

/** A header-less format: the role of every column, in file order. */
export interface FixedColumns {
  readonly schema: FlowSchema;
  readonly columns: readonly ColumnRole[];
}

const categorical = (name: string): ModelField => ({ name, kind: 'categorical' });
const count = (name: string): ModelField => ({ name, kind: 'numeric', numeric: 'count' });
const bytes = (name: string): ModelField => ({ name, kind: 'numeric', numeric: 'bytes' });
const rate = (name: string): ModelField => ({ name, kind: 'numeric', numeric: 'rate' });
const flag = (name: string): ModelField => ({ name, kind: 'numeric', numeric: 'flag' });
const duration = (name: string): ModelField => ({ name, kind: 'numeric', numeric: 'duration' });

/** The 41 KDD features in file order (NSL-KDD field-names.csv). */
export const KDD_FEATURES: readonly ModelField[] = [
  duration('duration'),
  categorical('protocol_type'),
  categorical('service'),
  categorical('flag'),
  bytes('src_bytes'),
  bytes('dst_bytes'),
  flag('land'),
  count('wrong_fragment'),
  count('urgent'),
  count('hot'),
  count('num_failed_logins'),
  flag('logged_in'),
  count('num_compromised'),
  // Documented as 0/1 but su_attempted takes the value 2 in the data: kept as counts.
  count('root_shell'),
  count('su_attempted'),
  count('num_root'),
  count('num_file_creations'),
  count('num_shells'),
  count('num_access_files'),
  count('num_outbound_cmds'),
  flag('is_host_login'),
  flag('is_guest_login'),
  count('count'),
  count('srv_count'),
  rate('serror_rate'),
  rate('srv_serror_rate'),
  rate('rerror_rate'),
  rate('srv_rerror_rate'),
  rate('same_srv_rate'),
  rate('diff_srv_rate'),
  rate('srv_diff_host_rate'),
  count('dst_host_count'),
  count('dst_host_srv_count'),
  rate('dst_host_same_srv_rate'),
  rate('dst_host_diff_srv_rate'),
  rate('dst_host_same_src_port_rate'),
  rate('dst_host_srv_diff_host_rate'),
  rate('dst_host_serror_rate'),
  rate('dst_host_srv_serror_rate'),
  rate('dst_host_rerror_rate'),
  rate('dst_host_srv_rerror_rate'),
];

/** NSL-KDD: 41 features, the label, then a difficulty score (0-21) that is not a flow property. */
export const NSL_KDD_COLUMNS: FixedColumns = {
  schema: { name: 'nsl-kdd', fields: KDD_FEATURES },
  columns: [
    ...KDD_FEATURES,
    { name: 'label', kind: 'label' },
    { name: 'difficulty', kind: 'ignored' },
  ],
};

/** KDD Cup 1999: 41 features and the label, written with a trailing dot (`normal.`). */
export const KDD99_COLUMNS: FixedColumns = {
  schema: { name: 'kdd99', fields: KDD_FEATURES },
  columns: [...KDD_FEATURES, { name: 'label', kind: 'label' }],
};

/** KDD Cup 99 writes `smurf.`; NSL-KDD and everything downstream use `smurf`. */
export function normaliseKdd99Label(label: string): string {
  return label.endsWith('.') ? label.slice(0, -1) : label;
}

/** The model fields of a Zeek conn.log; every other column (addresses, uid, ts, ...) is ignored. */
export const ZEEK_CONN_FIELDS: readonly ModelField[] = [
  categorical('proto'),
  categorical('service'),
  categorical('conn_state'),
  categorical('history'),
  // The responder port says which service was contacted; as a number it would imply an order.
  categorical('id.resp_p'),
  categorical('local_orig'),
  categorical('local_resp'),
  duration('duration'),
  bytes('orig_bytes'),
  bytes('resp_bytes'),
  bytes('missed_bytes'),
  count('orig_pkts'),
  bytes('orig_ip_bytes'),
  count('resp_pkts'),
  bytes('resp_ip_bytes'),
];

export const ZEEK_CONN_SCHEMA: FlowSchema = { name: 'zeek-conn', fields: ZEEK_CONN_FIELDS };

/** The column labelled data sets (IoT-23) append to conn.log; `detailed-label` is ignored. */
export const ZEEK_LABEL_COLUMN = 'label';

/**
 * Zeek logs these conn.log fields on every record (no `&optional`); JSON logs omit unset optional
 * fields, so only these must be present as keys.
 */
export const ZEEK_CONN_ALWAYS_LOGGED: readonly string[] = ['proto', 'id.resp_p'];

/**
 * Roles of the columns of a Zeek conn.log named by its `#fields` line (the label column is
 * optional). Throws a FlowFormatError naming the first model field the header lacks.
 * @example zeekConnColumns(['ts', 'uid', 'proto', ...], 'conn.log', 8)
 */
export function zeekConnColumns(
  names: readonly string[],
  file: string,
  line: number,
): ColumnRole[] {
  const label = { column: ZEEK_LABEL_COLUMN, required: false };
  return resolveColumns(names, ZEEK_CONN_FIELDS, label, { file, line, what: 'Zeek conn.log' });
}

/**
 * Suricata's eve.json flow events (`event_type: flow`), fields named by their path in the
 * event. The TCP flags seen from each side stand where Zeek's history does; the responder
 * port, as for Zeek, says which service was contacted. `flow.alerted` is left out: it is
 * Suricata's own verdict, not a property of the traffic.
 */
export const EVE_FLOW_FIELDS: readonly ModelField[] = [
  categorical('proto'),
  categorical('app_proto'),
  categorical('dest_port'),
  categorical('flow.state'),
  categorical('flow.reason'),
  categorical('tcp.state'),
  categorical('tcp.tcp_flags_ts'),
  categorical('tcp.tcp_flags_tc'),
  duration('duration'),
  count('flow.pkts_toserver'),
  bytes('flow.bytes_toserver'),
  count('flow.pkts_toclient'),
  bytes('flow.bytes_toclient'),
];

export const EVE_FLOW_SCHEMA: FlowSchema = { name: 'suricata-eve-flow', fields: EVE_FLOW_FIELDS };

/**
 * nfdump's CSV export (`nfdump -r FILE -o csv`, nfdump 1.6's columns `ts,te,td,sa,da,sp,dp,pr,
 * flg,...,ipkt,ibyt,opkt,obyt,...`), read as a CSV with this mapping: protocol, destination
 * port and TCP flags (`.AP.SF`) as categories, duration, packets and bytes each way. Its
 * `Summary` trailer ends the flows. nfdump writes times in the machine's local time zone.
 */
export const NFDUMP_CSV_MAPPING: CsvMapping = {
  fields: [
    { column: 'pr', kind: 'categorical' },
    { column: 'dp', kind: 'categorical' },
    { column: 'flg', kind: 'categorical' },
    { column: 'td', kind: 'numeric', numeric: 'duration' },
    { column: 'ipkt', kind: 'numeric', numeric: 'count' },
    { column: 'ibyt', kind: 'numeric', numeric: 'bytes' },
    { column: 'opkt', kind: 'numeric', numeric: 'count' },
    { column: 'obyt', kind: 'numeric', numeric: 'bytes' },
  ],
  context: { ts: 'ts', srcAddr: 'sa', srcPort: 'sp', dstAddr: 'da', dstPort: 'dp' },
  endMarker: 'Summary',
};
