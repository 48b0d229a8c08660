/**
 * Per-host traffic features: for each connection, what its source and its destination did in
 * the window before it (connections, distinct peers and ports, failed share, how much of it went
 * to the same place), and its bytes per packet. One connection looks normal; a scan or a flood
 * is many of them from few hosts, and these fields say so. Computed from earlier rows only, in
 * one streaming pass, with bounded memory (see host-window.ts), deterministically.
 */
import type { DeriveStage, DeriveStageFactory } from './derive.js';
import { endpointKey, type HostWindow, HostWindows } from './host-window.js';
import type { FlowRow, FlowSchema, ModelField } from './schema.js';

export interface TrafficFeatureSettings {
  /** The window each host's counts cover, in seconds. */
  readonly windowSeconds: number;
  /** A short span whose connection count shows a burst (a scan, a flood) within a second. */
  readonly burstSeconds: number;
  /** Hosts remembered at once (least recently seen forgotten first). */
  readonly maxHosts: number;
  /** Connections a host's window holds at most (its counts saturate there). */
  readonly maxConnectionsPerHost: number;
  /**
   * Each host's last N connections whatever their age (0: none): what a slow scan or a
   * patient brute force spreads over more than the time window, and how long those N took.
   */
  readonly lastConnections: number;
}

/** The most connections a last-N window may hold (memory: hosts x N per direction). */
export const MAX_LAST_CONNECTIONS = 1000;

export const DEFAULT_TRAFFIC_FEATURES: TrafficFeatureSettings = {
  windowSeconds: 60,
  burstSeconds: 1,
  maxHosts: 8192,
  maxConnectionsPerHost: 1024,
  lastConnections: 0,
};

/** Zeek connection states of a connection that was refused, unanswered or torn down early. */
const FAILED_STATES = new Set(['S0', 'REJ', 'RSTO', 'RSTOS0', 'RSTR', 'RSTRH', 'SH', 'SHR']);

const count = (name: string): ModelField => ({ name, kind: 'numeric', numeric: 'count' });
const rate = (name: string): ModelField => ({ name, kind: 'numeric', numeric: 'rate' });
const duration = (name: string): ModelField => ({ name, kind: 'numeric', numeric: 'duration' });

/** Seconds from a window's oldest connection to now: 0 for an empty window, never negative. */
function span(now: number, oldest: number): number {
  return oldest === Number.NEGATIVE_INFINITY ? 0 : Math.max(0, fourDecimals(now - oldest));
}

/**
 * The traffic-feature stage for rows of `schema`: the failed share needs a connection's state
 * (Zeek's `conn_state`, or Suricata's or nfdump's TCP flags) and bytes per packet the
 * originator's bytes and packets (Zeek's `orig_ip_bytes` and `orig_pkts`, Suricata's
 * `flow.bytes_toserver` and `flow.pkts_toserver`, nfdump's `ibyt` and `ipkt`); the rest needs
 * only the rows' context (time, addresses, port).
 */
export function trafficFeatures(
  schema: FlowSchema,
  settings: TrafficFeatureSettings = DEFAULT_TRAFFIC_FEATURES,
): DeriveStageFactory {
  const index = (name: string) => schema.fields.findIndex((field) => field.name === name);
  const failedOf = failedConnection(index);
  const bytes = Math.max(index('orig_ip_bytes'), index('flow.bytes_toserver'), index('ibyt'));
  const packets = Math.max(index('orig_pkts'), index('flow.pkts_toserver'), index('ipkt'));
  const withState = failedOf !== null;
  const withSizes = bytes >= 0 && packets >= 0;
  const lastN = settings.lastConnections > 0;
  const fields = trafficFields(withState, withSizes, settings.lastConnections);
  // Every field but bytes per packet is a host count or share.
  const hostFields = fields.length - (withSizes ? 1 : 0);
  return (): DeriveStage => {
    const sources = new HostWindows(settings.maxHosts, settings.maxConnectionsPerHost);
    const destinations = new HostWindows(settings.maxHosts, settings.maxConnectionsPerHost);
    const lastOfSources = lastN
      ? new HostWindows(settings.maxHosts, settings.lastConnections)
      : null;
    const lastOfDestinations = lastN
      ? new HostWindows(settings.maxHosts, settings.lastConnections)
      : null;
    return {
      fields,
      derive(row: FlowRow, out: (string | number)[]) {
        const context = row.context;
        const failed = failedOf?.(row.values) ?? false;
        if (!context || context.ts === null || !context.srcAddr || !context.dstAddr) {
          // No time or hosts: nothing to count; the features read as a quiet host's.
          for (let i = 0; i < hostFields; i++) out.push(0);
        } else {
          const { ts, srcAddr, dstAddr } = context;
          const port = context.dstPort ?? -1;
          const since = ts - settings.windowSeconds;
          const burst = ts - settings.burstSeconds;
          const source = sources.get(srcAddr, since);
          const destination = destinations.get(dstAddr, since);
          const endpoint = endpointKey(dstAddr, port);
          source.expire(since);
          destination.expire(since);
          out.push(source.connections, source.recentConnections(burst));
          describeSource(out, source, endpoint, withState);
          out.push(destination.connections, destination.recentConnections(burst));
          describeDestination(out, destination, port, withState);
          source.add(ts, dstAddr, port, failed, endpoint);
          // A destination's share is per port only: its endpoints need no counting.
          destination.add(ts, srcAddr, port, failed, null);
          if (lastOfSources && lastOfDestinations) {
            // Never expired: a window of N connections, however long ago they were.
            const last = lastOfSources.get(srcAddr, Number.NEGATIVE_INFINITY);
            out.push(span(ts, last.oldest));
            describeSource(out, last, endpoint, withState);
            const lastTo = lastOfDestinations.get(dstAddr, Number.NEGATIVE_INFINITY);
            out.push(span(ts, lastTo.oldest));
            describeDestination(out, lastTo, port, withState);
            last.add(ts, dstAddr, port, failed, endpoint);
            lastTo.add(ts, srcAddr, port, failed, null);
          }
        }
        if (withSizes) out.push(bytesPerPacketCategory(row.values[bytes], row.values[packets]));
      },
    };
  };
}

/** What a source's window says, after its counts: peers, ports, failed and same-endpoint shares. */
function describeSource(
  out: (string | number)[],
  window: HostWindow,
  endpoint: string,
  withState: boolean,
): void {
  out.push(window.distinctPeers, window.distinctPorts);
  if (withState) out.push(fourDecimals(window.failedShare));
  out.push(fourDecimals(window.endpointShare(endpoint)));
}

/** What a destination's window says, after its counts: peers, failed and same-port shares. */
function describeDestination(
  out: (string | number)[],
  window: HostWindow,
  port: number,
  withState: boolean,
): void {
  out.push(window.distinctPeers);
  if (withState) out.push(fourDecimals(window.failedShare));
  out.push(fourDecimals(window.portShare(port)));
}

/**
 * How to tell from a row's values that its connection failed (refused, unanswered or torn down
 * early), or null when the schema cannot say. Zeek names it in `conn_state`; from Suricata's
 * TCP flags, as Zeek's states would: no packet back from the responder (S0, SH), or a reset
 * in either direction (REJ, RSTO, RSTR...); nfdump's one-way flows say less: a TCP flow that
 * never carried an ACK, or carried a reset.
 */
function failedConnection(
  index: (name: string) => number,
): ((values: readonly (string | number)[]) => boolean) | null {
  const state = index('conn_state');
  if (state >= 0) return (values) => FAILED_STATES.has(values[state] as string);
  const nfdumpFlags = index('flg');
  const nfdumpProto = index('pr');
  if (nfdumpFlags >= 0 && nfdumpProto >= 0)
    return (values) => {
      if (String(values[nfdumpProto]).toUpperCase() !== 'TCP') return false;
      // One letter per flag set (.AP.SF): a flow never acknowledged, or reset, failed.
      const flags = String(values[nfdumpFlags]);
      return !flags.includes('A') || flags.includes('R');
    };
  const proto = index('proto');
  const toServer = index('tcp.tcp_flags_ts');
  const toClient = index('tcp.tcp_flags_tc');
  if (proto < 0 || toServer < 0 || toClient < 0) return null;
  return (values) => {
    if (String(values[proto]).toUpperCase() !== 'TCP') return false;
    const back = tcpFlags(values[toClient]);
    return back === 0 || ((tcpFlags(values[toServer]) | back) & TCP_RST) !== 0;
  };
}

const TCP_RST = 0x04;

/** Suricata's TCP flags (hex text, `1b`) as a number; 0 for none seen. */
function tcpFlags(value: string | number | undefined): number {
  const flags = Number.parseInt(String(value), 16);
  return Number.isNaN(flags) ? 0 : flags;
}

/**
 * A share to four decimals: finer than any bin (a sixteenth of a decade apart), and a short
 * text where values travel to the scoring thread and into alert lines (0.2402 rather than
 * 0.24022346368715083).
 */
function fourDecimals(share: number): number {
  return Math.round(share * 1e4) / 1e4;
}

/**
 * IP bytes per packet the originator sent, as a category ('0' for no packets). Below 128 bytes
 * a packet is mostly headers, whose sizes come in 4-byte words (IP and TCP lengths count
 * words): 40, 44 and 60 are different packets (a bare SYN, a scanner's SYN with one option, a
 * client's SYN with all of them), so these keep 4-byte resolution. Above, payload size says
 * little byte by byte: sizes share one category per sixteenth of a decade (~15%), named by its
 * lower edge ('~133'). Exact integers gave this field 257 codes and every normal flow nats of
 * noise from it; this gives at most 32 + 18.
 */
export function bytesPerPacketCategory(bytes: unknown, packets: unknown): string {
  const b = bytes as number;
  const p = packets as number;
  if (!(p > 0)) return '0';
  const size = b / p;
  if (size < HEADER_SIZES_BELOW) return String(4 * Math.floor(size / 4));
  const bucket = Math.floor(Math.log10(size) * BUCKETS_PER_DECADE);
  return `~${Math.max(HEADER_SIZES_BELOW, Math.round(10 ** (bucket / BUCKETS_PER_DECADE)))}`;
}

const HEADER_SIZES_BELOW = 128;
const BUCKETS_PER_DECADE = 16;

/** The first traffic field: its presence in a schema says the rows carry traffic features. */
export const TRAFFIC_MARKER_FIELD = 'src_conns';

/** The stage's fields, in the order it writes them. */
function trafficFields(withState: boolean, withSizes: boolean, lastN: number): ModelField[] {
  return [
    count(TRAFFIC_MARKER_FIELD),
    count('src_burst_conns'),
    count('src_dst_hosts'),
    count('src_dst_ports'),
    ...(withState ? [rate('src_failed_share')] : []),
    rate('src_same_endpoint_share'),
    count('dst_conns'),
    count('dst_burst_conns'),
    count('dst_src_hosts'),
    ...(withState ? [rate('dst_failed_share')] : []),
    rate('dst_same_port_share'),
    ...(lastN > 0 ? lastConnectionFields(lastN, withState) : []),
    ...(withSizes ? [{ name: 'orig_bytes_per_pkt', kind: 'categorical' } as const] : []),
  ];
}

/**
 * The fields describing each host's last `n` connections; `n` is in their names, so a model's
 * schema says which window its scoring must derive (see trafficDerivedIn).
 */
function lastConnectionFields(n: number, withState: boolean): ModelField[] {
  return [
    duration(`src_last${n}_span`),
    count(`src_last${n}_dst_hosts`),
    count(`src_last${n}_dst_ports`),
    ...(withState ? [rate(`src_last${n}_failed_share`)] : []),
    rate(`src_last${n}_same_endpoint_share`),
    duration(`dst_last${n}_span`),
    count(`dst_last${n}_src_hosts`),
    ...(withState ? [rate(`dst_last${n}_failed_share`)] : []),
    rate(`dst_last${n}_same_port_share`),
  ];
}

const LAST_CONNECTIONS_FIELD = /^src_last(\d+)_span$/;

/**
 * What rows of `schema` derive, as pipeline settings: a model trained with traffic features
 * (and a last-N window) needs its rows derived alike, whatever the reader's own settings.
 */
export function trafficDerivedIn(schema: FlowSchema): {
  trafficFeatures: boolean;
  lastConnections: number;
} {
  const names = schema.fields.map((field) => field.name);
  return { trafficFeatures: derivesTraffic(schema), lastConnections: lastConnectionsIn(names) };
}

/** The N of the last-N window fields among `fieldNames` (0 for none). */
export function lastConnectionsIn(fieldNames: readonly string[]): number {
  const last = fieldNames
    .map((name) => LAST_CONNECTIONS_FIELD.exec(name))
    .find((match) => match !== null);
  return last ? Number(last[1]) : 0;
}

/** Whether rows of `schema` carry traffic features (a model trained with them needs them). */
export function derivesTraffic(schema: FlowSchema): boolean {
  return schema.fields.some((field) => field.name === TRAFFIC_MARKER_FIELD);
}
