/**
 * Per-host traffic features: for each connection, what its source and its destination did in
 * the window before it (connections, distinct peers and ports, failed share, how much of it went
 * to the same place), and its bytes per packet. One connection looks normal; a scan or a flood
 * is many of them from few hosts, and these fields say so. Computed from earlier rows only, in
 * one streaming pass, with bounded memory (see host-window.ts), deterministically.
 */
import type { DeriveStage, DeriveStageFactory } from './derive.js';
import { endpointKey, HostWindows } from './host-window.js';
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
}

export const DEFAULT_TRAFFIC_FEATURES: TrafficFeatureSettings = {
  windowSeconds: 60,
  burstSeconds: 1,
  maxHosts: 8192,
  maxConnectionsPerHost: 1024,
};

/** Zeek connection states of a connection that was refused, unanswered or torn down early. */
const FAILED_STATES = new Set(['S0', 'REJ', 'RSTO', 'RSTOS0', 'RSTR', 'RSTRH', 'SH', 'SHR']);

const count = (name: string): ModelField => ({ name, kind: 'numeric', numeric: 'count' });
const rate = (name: string): ModelField => ({ name, kind: 'numeric', numeric: 'rate' });

/**
 * The traffic-feature stage for rows of `schema`: the connection-state share needs a
 * `conn_state` field and bytes per packet `orig_ip_bytes` and `orig_pkts` (Zeek's names); the
 * rest needs only the rows' context (timestamp, addresses, responder port).
 */
export function trafficFeatures(
  schema: FlowSchema,
  settings: TrafficFeatureSettings = DEFAULT_TRAFFIC_FEATURES,
): DeriveStageFactory {
  const index = (name: string) => schema.fields.findIndex((field) => field.name === name);
  const state = index('conn_state');
  const bytes = index('orig_ip_bytes');
  const packets = index('orig_pkts');
  const withState = state >= 0;
  const withSizes = bytes >= 0 && packets >= 0;
  const fields: ModelField[] = [
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
    ...(withSizes ? [{ name: 'orig_bytes_per_pkt', kind: 'categorical' } as const] : []),
  ];
  // Every field but bytes per packet is a host count or share.
  const hostFields = fields.length - (withSizes ? 1 : 0);
  return (): DeriveStage => {
    const sources = new HostWindows(settings.maxHosts, settings.maxConnectionsPerHost);
    const destinations = new HostWindows(settings.maxHosts, settings.maxConnectionsPerHost);
    return {
      fields,
      derive(row: FlowRow, out: (string | number)[]) {
        const context = row.context;
        const failed = withState && FAILED_STATES.has(row.values[state] as string);
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
          out.push(source.distinctPeers, source.distinctPorts);
          if (withState) out.push(fourDecimals(source.failedShare));
          out.push(fourDecimals(source.endpointShare(endpoint)));
          out.push(destination.connections, destination.recentConnections(burst));
          out.push(destination.distinctPeers);
          if (withState) out.push(fourDecimals(destination.failedShare));
          out.push(fourDecimals(destination.portShare(port)));
          source.add(ts, dstAddr, port, failed, endpoint);
          // A destination's share is per port only: its endpoints need no counting.
          destination.add(ts, srcAddr, port, failed, null);
        }
        if (withSizes) out.push(bytesPerPacketCategory(row.values[bytes], row.values[packets]));
      },
    };
  };
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

/** Whether rows of `schema` carry traffic features (a model trained with them needs them). */
export function derivesTraffic(schema: FlowSchema): boolean {
  return schema.fields.some((field) => field.name === TRAFFIC_MARKER_FIELD);
}
