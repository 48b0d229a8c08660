/** Zeek conn.log records and logs, as Zeek writes them, for the reader tests. */
export const CONN_FIELDS = (
  'ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto service duration orig_bytes ' +
  'resp_bytes conn_state local_orig local_resp missed_bytes history orig_pkts ' +
  'orig_ip_bytes resp_pkts resp_ip_bytes tunnel_parents'
).split(' ');
export const CONN_TYPES = (
  'time string addr port addr port enum string interval count count string bool ' +
  'bool count string count count count count set[string]'
).split(' ');

/** A conn record as Zeek writes it, in CONN_FIELDS order, with some values replaced. */
export function connValues(overrides: Record<string, string> = {}): string[] {
  const record: Record<string, string> = {
    ts: '1545403816.962094',
    uid: 'CrDn63WjJEmrWGjqf',
    'id.orig_h': '192.168.1.195',
    'id.orig_p': '41040',
    'id.resp_h': '185.244.25.235',
    'id.resp_p': '80',
    proto: 'tcp',
    service: 'http',
    duration: '3.139211',
    orig_bytes: '120',
    resp_bytes: '4000',
    conn_state: 'SF',
    local_orig: 'T',
    local_resp: 'F',
    missed_bytes: '0',
    history: 'ShADadfF',
    orig_pkts: '6',
    orig_ip_bytes: '440',
    resp_pkts: '5',
    resp_ip_bytes: '4260',
    tunnel_parents: '(empty)',
    ...overrides,
  };
  return CONN_FIELDS.map((name) => record[name]!);
}

/** A Zeek TSV conn.log: 8 header lines, so the first record is on line 9. */
export function zeekTsv(records: string[][], fields = CONN_FIELDS, types = CONN_TYPES): string {
  const header = [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    '#path\tconn',
    '#open\t2019-03-15-14-50-49',
    `#fields\t${fields.join('\t')}`,
    `#types\t${types.join('\t')}`,
  ];
  return `${[...header, ...records.map((record) => record.join('\t')), '#close\t2019-03-15-14-51-00'].join('\n')}\n`;
}

/** The same record as {@link connValues} gives, as Zeek's JSON writer logs it. */
export const JSON_CONN_RECORD = {
  ts: 1545403816.962094,
  uid: 'CrDn63WjJEmrWGjqf',
  'id.orig_h': '192.168.1.195',
  'id.orig_p': 41040,
  'id.resp_h': '185.244.25.235',
  'id.resp_p': 80,
  proto: 'tcp',
  service: 'http',
  duration: 3.139211,
  orig_bytes: 120,
  resp_bytes: 4000,
  conn_state: 'SF',
  local_orig: true,
  local_resp: false,
  missed_bytes: 0,
  history: 'ShADadfF',
  orig_pkts: 6,
  orig_ip_bytes: 440,
  resp_pkts: 5,
  resp_ip_bytes: 4260,
};
