/**
 * What a categorical value may look like, per field: the enumerations the built-in formats
 * define, ports as integers, and for every other field a short token. Sites, the coordinator
 * and the auditor all judge sketch values by these rules (shared/federation/sketch-rules.ts),
 * so that a sketch cannot carry arbitrary text such as raw records.
 */

export type ValueDomain =
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'port' }
  | { readonly kind: 'token' };

/**
 * Any other categorical value: up to 32 characters of letters, digits and `_ . , : + / ^ -`
 * (service names such as `ftp_data` or `ssl,http`, Zeek histories such as `ShADadFf`, `-`
 * for unset).
 */
export const TOKEN_PATTERN = /^[A-Za-z0-9_.,:+/^-]{1,32}$/;

const KDD_DOMAINS: Readonly<Record<string, ValueDomain>> = {
  protocol_type: { kind: 'enum', values: ['tcp', 'udp', 'icmp'] },
  flag: {
    kind: 'enum',
    values: ['SF', 'S0', 'S1', 'S2', 'S3', 'REJ', 'RSTO', 'RSTR', 'RSTOS0', 'SH', 'OTH'],
  },
};

/** Zeek's conn.log (TSV writes T/F/- for booleans, JSON true/false). */
const ZEEK_CONN_DOMAINS: Readonly<Record<string, ValueDomain>> = {
  proto: { kind: 'enum', values: ['tcp', 'udp', 'icmp', 'unknown_transport', '-'] },
  conn_state: {
    kind: 'enum',
    values: [
      'S0',
      'S1',
      'SF',
      'REJ',
      'S2',
      'S3',
      'RSTO',
      'RSTR',
      'RSTOS0',
      'RSTRH',
      'SH',
      'SHR',
      'OTH',
      '-',
    ],
  },
  local_orig: { kind: 'enum', values: ['T', 'F', '-', 'true', 'false'] },
  local_resp: { kind: 'enum', values: ['T', 'F', '-', 'true', 'false'] },
  'id.resp_p': { kind: 'port' },
};

const BY_SCHEMA: Readonly<Record<string, Readonly<Record<string, ValueDomain>>>> = {
  'nsl-kdd': KDD_DOMAINS,
  kdd99: KDD_DOMAINS,
  'zeek-conn': ZEEK_CONN_DOMAINS,
};

/** The domain of a categorical field of the named schema (a token unless the format knows better). */
export function valueDomain(schemaName: string, field: string): ValueDomain {
  return BY_SCHEMA[schemaName]?.[field] ?? { kind: 'token' };
}

/** Why `value` is outside `domain`, or null. */
export function domainProblem(domain: ValueDomain, value: string): string | null {
  if (domain.kind === 'enum')
    return domain.values.includes(value) ? null : `is not one of ${domain.values.join(', ')}`;
  if (domain.kind === 'port')
    return /^(0|[1-9][0-9]{0,4})$/.test(value) && Number(value) <= 65_535
      ? null
      : 'is not a port number (0-65535)';
  return TOKEN_PATTERN.test(value)
    ? null
    : 'is not a token of 1-32 letters, digits or _ . , : + / ^ -';
}
