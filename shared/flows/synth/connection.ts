/**
 * Builds internally consistent conn.log records: the state, history, packet and IP-byte counts
 * follow from what happened on the wire, as Zeek would have derived them.
 */
import type { FlowLabel, SyntheticFlow, TransportProto } from './flow.js';
import type { SeededRandom } from './random.js';

/** Who talked to whom, and whether each side is inside the site. */
export interface Endpoints {
  readonly origHost: string;
  readonly origPort: number;
  readonly respHost: string;
  readonly respPort: number;
  readonly localOrig: boolean;
  readonly localResp: boolean;
}

/** What an established TCP connection carried. */
export interface Exchange {
  readonly origBytes: number;
  readonly respBytes: number;
  /** Seconds. */
  readonly duration: number;
  /** Average payload per data segment: interactive protocols send many small ones. */
  readonly segment: number;
}

/** How an established TCP connection ended. */
export type TcpEnding = 'SF' | 'S1' | 'RSTO' | 'RSTR';

/** How a TCP connection attempt that never completed its handshake went. */
export type TcpAttempt = 'S0' | 'REJ' | 'probe-reset';

/** IPv4 (20) + TCP with timestamps (32): the per-packet overhead in `*_ip_bytes`. */
const TCP_OVERHEAD = 52;
/** IPv4 (20) + UDP or ICMP (8). */
const DATAGRAM_OVERHEAD = 28;
const MAX_SEGMENT = 1448;
/** The smallest duration Zeek prints as non-zero (`%.6f`). */
const MIN_DURATION = 0.000001;

/** Zeek writes the "normal" close in a few orders, depending on who sent data and FIN first. */
const SF_HISTORIES = ['ShADadFf', 'ShADadFf', 'ShADadfF', 'ShADdaFf', 'ShAdDaFf'] as const;

function record(ends: Endpoints, proto: TransportProto, service: string | null, label: FlowLabel) {
  const flow: SyntheticFlow = {
    tsMicros: 0,
    uid: '',
    origHost: ends.origHost,
    origPort: ends.origPort,
    respHost: ends.respHost,
    respPort: ends.respPort,
    proto,
    service,
    duration: null,
    origBytes: null,
    respBytes: null,
    connState: 'OTH',
    localOrig: ends.localOrig,
    localResp: ends.localResp,
    missedBytes: 0,
    history: null,
    origPkts: 0,
    origIpBytes: 0,
    respPkts: 0,
    respIpBytes: 0,
    label,
  };
  return flow;
}

/** Zeek only reports duration and byte counts when the connection lasted (duration > 0). */
function setTiming(
  flow: SyntheticFlow,
  duration: number | null,
  origBytes: number,
  respBytes: number,
) {
  if (duration === null) return;
  flow.duration = Math.max(MIN_DURATION, duration);
  flow.origBytes = origBytes;
  flow.respBytes = respBytes;
}

function tcpHistory(random: SeededRandom, ending: TcpEnding, exchange: Exchange): string {
  let history: string =
    ending === 'SF'
      ? random.pick(SF_HISTORIES)
      : ending === 'S1'
        ? 'ShADad'
        : ending === 'RSTO'
          ? 'ShADadR'
          : 'ShADadr';
  // Large transfers over real paths see retransmissions (lower case: the responder's).
  if (exchange.respBytes > 1_000_000 && random.chance(0.3)) history = history.replace('d', 'dt');
  if (exchange.origBytes > 1_000_000 && random.chance(0.3)) history = history.replace('D', 'DT');
  if (exchange.origBytes === 0) history = history.replace('D', '');
  if (exchange.respBytes === 0) history = history.replace('d', '');
  return history;
}

/** An established TCP connection: handshake, data both ways with delayed ACKs, then `ending`. */
export function tcpExchange(
  random: SeededRandom,
  ends: Endpoints,
  service: string | null,
  ending: TcpEnding,
  exchange: Exchange,
  label: FlowLabel,
): SyntheticFlow {
  const flow = record(ends, 'tcp', service, label);
  const segment = Math.min(MAX_SEGMENT, exchange.segment);
  const origData = Math.ceil(exchange.origBytes / segment);
  const respData = Math.ceil(exchange.respBytes / segment);
  const origCloses = ending === 'SF' || ending === 'RSTO' ? 1 : 0;
  const respCloses = ending === 'SF' || ending === 'RSTR' ? 1 : 0;
  // SYN + final handshake ACK; the responder's SYN-ACK. Each side ACKs every second segment.
  flow.origPkts = 2 + origData + Math.ceil(respData / 2) + origCloses;
  flow.respPkts = 1 + respData + Math.ceil(origData / 2) + respCloses;
  flow.origIpBytes = flow.origPkts * TCP_OVERHEAD + exchange.origBytes;
  flow.respIpBytes = flow.respPkts * TCP_OVERHEAD + exchange.respBytes;
  flow.connState = ending;
  flow.history = tcpHistory(random, ending, exchange);
  setTiming(flow, exchange.duration, exchange.origBytes, exchange.respBytes);
  // A capture under load drops the odd segment of a long transfer.
  if (exchange.respBytes > 1_000_000 && random.chance(0.01))
    flow.missedBytes = MAX_SEGMENT * random.int(1, 20);
  return flow;
}

/**
 * A handshake that never completed: `S0` (SYNs unanswered, `synCount` of them, each
 * `synIpBytes` long), `REJ` (answered by a RST) or `probe-reset` (SYN-ACK answered by the
 * originator's RST, as a half-open port scan does). `duration` is null for a lone packet.
 */
export function tcpAttempt(
  ends: Endpoints,
  service: string | null,
  attempt: TcpAttempt,
  synCount: number,
  synIpBytes: number,
  duration: number | null,
  label: FlowLabel,
): SyntheticFlow {
  const flow = record(ends, 'tcp', service, label);
  flow.origPkts = synCount;
  flow.origIpBytes = synCount * synIpBytes;
  if (attempt === 'S0') {
    flow.connState = 'S0';
    flow.history = 'S';
  } else if (attempt === 'REJ') {
    flow.connState = 'REJ';
    flow.history = 'Sr';
    flow.respPkts = 1;
    flow.respIpBytes = 40;
  } else {
    flow.connState = 'RSTO';
    flow.history = 'ShR';
    flow.origPkts += 1;
    flow.origIpBytes += 40;
    flow.respPkts = 1;
    flow.respIpBytes = 44;
  }
  setTiming(flow, duration, 0, 0);
  return flow;
}

/** How long a SYN retransmitted `synCount - 1` times takes (1 s, then doubling); null for one. */
export function synRetryDuration(random: SeededRandom, synCount: number): number | null {
  if (synCount <= 1) return null;
  return (2 ** (synCount - 1) - 1) * (1 + 0.02 * random.next());
}

/** What the datagrams of one UDP 5-tuple carried. */
export interface Datagrams {
  readonly origBytes: number;
  readonly origPkts: number;
  readonly respBytes: number;
  /** 0 when nobody answered. */
  readonly respPkts: number;
  /** Seconds from first to last datagram. */
  readonly duration: number;
}

/**
 * A UDP "connection" (all datagrams of one 5-tuple): `SF`/`Dd` when the responder answered,
 * `S0`/`D` when nobody did.
 */
export function udpFlow(
  ends: Endpoints,
  service: string | null,
  datagrams: Datagrams,
  label: FlowLabel,
): SyntheticFlow {
  const { origBytes, origPkts, respBytes, respPkts, duration } = datagrams;
  const flow = record(ends, 'udp', service, label);
  const answered = respPkts > 0;
  flow.connState = answered ? 'SF' : 'S0';
  flow.history = answered ? 'Dd' : 'D';
  flow.origPkts = origPkts;
  flow.origIpBytes = origPkts * DATAGRAM_OVERHEAD + origBytes;
  flow.respPkts = respPkts;
  flow.respIpBytes = respPkts * DATAGRAM_OVERHEAD + respBytes;
  setTiming(flow, origPkts + respPkts > 1 ? duration : null, origBytes, respBytes);
  return flow;
}

/**
 * ICMP echo: Zeek puts the type in `id.orig_p` and the code in `id.resp_p`, and calls every
 * ICMP exchange `OTH` with no history.
 */
export function icmpEcho(
  ends: Endpoints,
  pings: number,
  payload: number,
  answered: boolean,
  duration: number,
  label: FlowLabel,
): SyntheticFlow {
  const flow = record({ ...ends, origPort: 8, respPort: 0 }, 'icmp', null, label);
  const replies = answered ? pings : 0;
  flow.origPkts = pings;
  flow.origIpBytes = pings * (payload + DATAGRAM_OVERHEAD);
  flow.respPkts = replies;
  flow.respIpBytes = replies * (payload + DATAGRAM_OVERHEAD);
  setTiming(flow, pings + replies > 1 ? duration : null, pings * payload, replies * payload);
  return flow;
}
