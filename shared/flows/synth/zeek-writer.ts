/**
 * Writes flows in Zeek's ASCII log format (conn.log TSV with its `#` header and `#close`
 * trailer), plus the `label` column that labelled data sets such as IoT-23 add.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { streamOutputFile, ZEEK_LOG } from '../../fs/output-file.js';
import type { SyntheticFlow } from './flow.js';

/** conn.log columns in Zeek's order with Zeek's type of each, then the `label` column. */
const CONN_LOG_COLUMNS = [
  ['ts', 'time'],
  ['uid', 'string'],
  ['id.orig_h', 'addr'],
  ['id.orig_p', 'port'],
  ['id.resp_h', 'addr'],
  ['id.resp_p', 'port'],
  ['proto', 'enum'],
  ['service', 'string'],
  ['duration', 'interval'],
  ['orig_bytes', 'count'],
  ['resp_bytes', 'count'],
  ['conn_state', 'string'],
  ['local_orig', 'bool'],
  ['local_resp', 'bool'],
  ['missed_bytes', 'count'],
  ['history', 'string'],
  ['orig_pkts', 'count'],
  ['orig_ip_bytes', 'count'],
  ['resp_pkts', 'count'],
  ['resp_ip_bytes', 'count'],
  ['tunnel_parents', 'set[string]'],
  ['label', 'string'],
] as const;

/** conn.log column names, in order. */
export const CONN_LOG_FIELDS = Object.freeze(CONN_LOG_COLUMNS.map(([name]) => name));

/** Zeek's type of each column in {@link CONN_LOG_FIELDS}. */
export const CONN_LOG_TYPES = Object.freeze(CONN_LOG_COLUMNS.map(([, type]) => type));

/** What Zeek writes for a field with no value. */
export const UNSET_FIELD = '-';

/** Lines are batched into chunks of about this many characters: few, large writes. */
const CHUNK_CHARS = 1 << 18;

/** Zeek's `#open`/`#close` stamp: UTC `YYYY-MM-DD-HH-MM-SS`. */
export function zeekLogTime(epochSeconds: number): string {
  return new Date(Math.floor(epochSeconds) * 1000)
    .toISOString()
    .slice(0, 19)
    .replace('T', '-')
    .replaceAll(':', '-');
}

/** The header lines of a conn.log opened at `openTime` (epoch seconds). */
export function connLogHeader(openTime: number): string {
  return [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    `#unset_field\t${UNSET_FIELD}`,
    '#path\tconn',
    `#open\t${zeekLogTime(openTime)}`,
    `#fields\t${CONN_LOG_FIELDS.join('\t')}`,
    `#types\t${CONN_LOG_TYPES.join('\t')}`,
    '',
  ].join('\n');
}

/** The trailer line of a conn.log closed at `closeTime` (epoch seconds). */
export function connLogTrailer(closeTime: number): string {
  return `#close\t${zeekLogTime(closeTime)}\n`;
}

/** Zeek prints times as seconds with exactly six decimals. */
function formatTime(micros: number): string {
  const seconds = Math.floor(micros / 1e6);
  return `${seconds}.${String(micros - seconds * 1e6).padStart(6, '0')}`;
}

function orUnset(value: number | string | null): string {
  return value === null ? UNSET_FIELD : String(value);
}

/** One flow as conn.log field values, in {@link CONN_LOG_FIELDS} order. */
export function connLogFields(flow: SyntheticFlow): string[] {
  return [
    formatTime(flow.tsMicros),
    flow.uid,
    flow.origHost,
    String(flow.origPort),
    flow.respHost,
    String(flow.respPort),
    flow.proto,
    orUnset(flow.service),
    flow.duration === null ? UNSET_FIELD : flow.duration.toFixed(6),
    orUnset(flow.origBytes),
    orUnset(flow.respBytes),
    flow.connState,
    flow.localOrig ? 'T' : 'F',
    flow.localResp ? 'T' : 'F',
    String(flow.missedBytes),
    orUnset(flow.history),
    String(flow.origPkts),
    String(flow.origIpBytes),
    String(flow.respPkts),
    String(flow.respIpBytes),
    UNSET_FIELD,
    flow.label,
  ];
}

/** One flow as a conn.log line, newline included. */
export function formatConnLine(flow: SyntheticFlow): string {
  return `${connLogFields(flow).join('\t')}\n`;
}

/**
 * The whole conn.log for `flows` as text chunks of about 256k characters: header, lines, and a
 * `#close` stamp at the last flow's time, so equal input gives equal bytes. Lazy, so memory
 * stays flat however many flows there are.
 */
export function* connLogChunks(
  flows: Iterable<SyntheticFlow>,
  openTime: number,
): Generator<string, void, undefined> {
  let chunk = connLogHeader(openTime);
  let lastMicros = Math.round(openTime * 1e6);
  for (const flow of flows) {
    chunk += formatConnLine(flow);
    lastMicros = flow.tsMicros;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk + connLogTrailer(lastMicros / 1e6);
}

/**
 * Writes `flows` to `path` as a conn.log opened at `openTime` (epoch seconds). The pipeline
 * pulls the next chunk only when the file has room (backpressure); the file replaces `path`
 * only when complete, so a failure leaves what was there.
 */
export async function writeConnLog(
  path: string,
  flows: Iterable<SyntheticFlow>,
  openTime: number,
): Promise<void> {
  await streamOutputFile(
    path,
    (out) => pipeline(Readable.from(connLogChunks(flows, openTime)), out, { end: false }),
    ZEEK_LOG,
  );
}
