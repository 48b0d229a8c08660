/**
 * A traffic class is one kind of normal connection at a site (say, inbound HTTPS to the web
 * servers); this module declares classes and draws one flow from a class.
 */
import { type AddressPool, ephemeralPort, pickHost } from './addresses.js';
import {
  type Endpoints,
  type Exchange,
  icmpEcho,
  synRetryDuration,
  tcpAttempt,
  tcpExchange,
  udpFlow,
} from './connection.js';
import type { SyntheticFlow, TransportProto } from './flow.js';
import { type SeededRandom, WeightedChoice } from './random.js';

/** A log-normal as `[median, sigma]`: sizes and durations of traffic are heavy-tailed. */
export type Spread = readonly [median: number, sigma: number];

export interface TrafficClass {
  /** Relative frequency within the profile. */
  readonly weight: number;
  readonly proto: TransportProto;
  /** Zeek's service name, null where Zeek has no analyser for the protocol (logged as `-`). */
  readonly service: string | null;
  readonly port: number;
  readonly from: AddressPool;
  readonly to: AddressPool;
  /** TCP: bytes per connection; UDP and ICMP: bytes per datagram. */
  readonly origBytes: Spread;
  readonly respBytes: Spread;
  /** Seconds. */
  readonly duration: Spread;
  /** UDP and ICMP: datagrams per direction. */
  readonly packets: Spread;
  /** TCP: average payload per data segment. */
  readonly segment: number;
  /** Share of attempts that fail (no answer, refused, reset). */
  readonly failure: number;
  /** A fixed client port (NTP, DHCP), else an ephemeral one. */
  readonly origPort: number | null;
}

type ClassSpec = Pick<TrafficClass, 'weight' | 'service' | 'port' | 'from' | 'to'> &
  Partial<TrafficClass>;

const DEFAULTS = {
  origBytes: [500, 1],
  respBytes: [5000, 1.5],
  duration: [0.5, 1.2],
  packets: [1, 0],
  segment: 1448,
  failure: 0.02,
  origPort: null,
} as const satisfies Partial<TrafficClass>;

/** A TCP class; unspecified shapes default to a short request/response exchange. */
export function tcpClass(spec: ClassSpec): TrafficClass {
  return { ...DEFAULTS, proto: 'tcp', ...spec };
}

/** A UDP class (one query/answer per flow unless `packets` says otherwise). */
export function udpClass(spec: ClassSpec): TrafficClass {
  return { ...DEFAULTS, proto: 'udp', ...spec };
}

/** ICMP echo monitoring; `origBytes` is the echo payload and `packets` the pings per flow. */
export function icmpClass(spec: Omit<ClassSpec, 'service' | 'port'>): TrafficClass {
  return {
    ...DEFAULTS,
    proto: 'icmp',
    service: null,
    port: 0,
    origBytes: [56, 0],
    packets: [2, 0.5],
    duration: [1, 0.4],
    ...spec,
  };
}

/** Links of about 2 MB/s: a transfer cannot be faster than its size allows. */
const THROUGHPUT: Spread = [2_000_000, 1];
const MAX_DURATION = 86_400;

/** What kind of failure a failed TCP attempt is. */
const TCP_FAILURES = new WeightedChoice<'S0' | 'REJ' | 'RSTO' | 'RSTR'>([
  ['S0', 0.45],
  ['REJ', 0.25],
  ['RSTO', 0.15],
  ['RSTR', 0.15],
]);

function draw(random: SeededRandom, [median, sigma]: Spread): number {
  return sigma === 0 ? median : random.logNormal(median, sigma);
}

function drawCount(random: SeededRandom, spread: Spread): number {
  return Math.max(1, Math.round(draw(random, spread)));
}

function endpoints(random: SeededRandom, cls: TrafficClass): Endpoints {
  return {
    origHost: pickHost(random, cls.from),
    origPort: cls.origPort ?? ephemeralPort(random),
    respHost: pickHost(random, cls.to),
    respPort: cls.port,
    localOrig: cls.from.local,
    localResp: cls.to.local,
  };
}

function tcpFlow(random: SeededRandom, cls: TrafficClass, ends: Endpoints): SyntheticFlow {
  const outcome = random.chance(cls.failure) ? TCP_FAILURES.pick(random) : 'SF';
  if (outcome === 'S0') {
    const syns = random.int(1, 3);
    return tcpAttempt(ends, null, 'S0', syns, 60, synRetryDuration(random, syns), 'normal');
  }
  if (outcome === 'REJ')
    return tcpAttempt(ends, null, 'REJ', 1, 60, random.logNormal(0.0005, 1), 'normal');
  // A reset cuts the exchange short: less data, less time.
  const cut = outcome === 'SF' ? 1 : 0.1 + 0.4 * random.next();
  const origBytes = Math.max(1, Math.round(draw(random, cls.origBytes) * cut));
  const respBytes = Math.max(1, Math.round(draw(random, cls.respBytes) * cut));
  const transfer = (origBytes + respBytes) / draw(random, THROUGHPUT);
  const duration = Math.min(MAX_DURATION, Math.max(draw(random, cls.duration) * cut, transfer));
  const exchange: Exchange = { origBytes, respBytes, duration, segment: cls.segment };
  return tcpExchange(random, ends, cls.service, outcome, exchange, 'normal');
}

function udpNormalFlow(random: SeededRandom, cls: TrafficClass, ends: Endpoints): SyntheticFlow {
  const queries = drawCount(random, cls.packets);
  const answered = !random.chance(cls.failure);
  const query = Math.max(1, Math.round(draw(random, cls.origBytes)));
  // Answers of query/response protocols (DNS, NTP, SNMP) repeat the question.
  const answer = Math.max(query, Math.round(draw(random, cls.respBytes)));
  const duration = Math.min(MAX_DURATION, draw(random, cls.duration));
  const datagrams = {
    origBytes: queries * query,
    origPkts: queries,
    respBytes: answered ? queries * answer : 0,
    respPkts: answered ? queries : 0,
    duration,
  };
  // Zeek only names the protocol once it has parsed a reply.
  return udpFlow(ends, answered ? cls.service : null, datagrams, 'normal');
}

/** One normal connection of the given class, without its timestamp and uid. */
export function drawNormalFlow(random: SeededRandom, cls: TrafficClass): SyntheticFlow {
  const ends = endpoints(random, cls);
  if (cls.proto === 'tcp') return tcpFlow(random, cls, ends);
  if (cls.proto === 'udp') return udpNormalFlow(random, cls, ends);
  const pings = drawCount(random, cls.packets);
  const payload = Math.round(draw(random, cls.origBytes));
  const answered = !random.chance(cls.failure);
  return icmpEcho(ends, pings, payload, answered, draw(random, cls.duration) * pings, 'normal');
}
