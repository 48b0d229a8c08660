/**
 * Edits an attacker can make to a connection as Zeek's conn.log records it, each only in the
 * direction the attacker can move it: add payload (never remove it), send more packets or fewer
 * bigger ones for the same payload, take longer (never shorter), and pick another responder
 * port where the attack leaves the port free. Bytes, IP bytes and packets stay consistent (IP
 * bytes = payload + a header per packet); conn_state, history and service are never changed,
 * so an edit that would need another connection state (payload on an unanswered SYN) is not
 * offered. Derived fields that follow from the flow's own values are recomputed.
 */
import { bytesPerPacketCategory } from '../../shared/flows/traffic-features.js';
import { type EvasionRow, fieldIndex, num } from './evasion-row.js';
import type { Edit } from './greedy-search.js';

/** What an attack leaves to the attacker. */
export interface AttackRule {
  /** Whose side of the connection the attacker writes: its own only, or both (its own server). */
  readonly controls: 'originator' | 'both';
  /** Whether the attack works on any responder port. */
  readonly portFree: boolean;
  readonly why: string;
}

const OWN_SERVER = (what: string): AttackRule => ({
  controls: 'both',
  portFree: true,
  why: `${what}: the bot talks to a server its operator runs, so both directions and the server's port are the operator's choice`,
});

/** IoT-23's attack labels; an unknown label gets {@link DEFAULT_RULE}. */
export const IOT23_RULES: Readonly<Record<string, AttackRule>> = {
  'C&C': OWN_SERVER('command and control'),
  'C&C-Torii': OWN_SERVER('command and control'),
  'C&C-FileDownload': OWN_SERVER('command and control fetching a file'),
  FileDownload: OWN_SERVER('a file fetched from the operator'),
  PartOfAHorizontalPortScan: {
    controls: 'originator',
    portFree: false,
    why: 'a horizontal scan looks for one service on many hosts: its port is what it is looking for',
  },
  Attack: {
    controls: 'originator',
    portFree: false,
    why: "an exploit must reach the vulnerable service's port",
  },
  DDoS: { controls: 'originator', portFree: false, why: "a flood aims at the victim's service" },
};

export const DEFAULT_RULE: AttackRule = {
  controls: 'originator',
  portFree: false,
  why: 'unknown attack: only the originator side, port fixed',
};

export const ruleFor = (label: string): AttackRule => IOT23_RULES[label] ?? DEFAULT_RULE;

/** Ports common enough to hide among, per transport. */
export const COMMON_PORTS: Readonly<Record<string, readonly string[]>> = {
  tcp: ['80', '443', '8080', '22'],
  udp: ['53', '123', '443'],
};

/** Largest TCP payload per packet on Ethernet, and IP (+ transport) header bytes per packet. */
const MSS = 1460;
const HEADER: Readonly<Record<string, number>> = { tcp: 40, udp: 28, icmp: 28 };
/** An unanswered SYN is retried after a second or more (RFC 6298's initial timeout). */
const RETRY_SECONDS = 1;

/** Caps relative to the unperturbed flow: the budget of one flow. */
export const CAPS = { bytes: 10, packets: 10, duration: 10, durationFloorSeconds: 10 };

const GRID = { pad: [0.5, 1, 3], split: [1.5, 2, 4], merge: [0.5, 0.75], stretch: [1.5, 2, 4] };
/** Seconds a zero-duration flow may be stretched to. */
const STRETCH_FROM_ZERO = [0.5, 2, 8];

type Direction = 'orig' | 'resp';

/** Where the fields an edit touches sit in the model's values. */
export interface ZeekLayout {
  readonly proto: number;
  readonly port: number;
  readonly duration: number;
  readonly bytes: Record<Direction, number>;
  readonly packets: Record<Direction, number>;
  readonly ipBytes: Record<Direction, number>;
  /** Derived fields (-1 without traffic features). */
  readonly bytesPerPacket: number;
  readonly srcSameEndpoint: number;
  readonly dstSamePort: number;
}

export function zeekLayout(fieldNames: readonly string[]): ZeekLayout {
  const at = fieldIndex(fieldNames);
  const layout = {
    proto: at('proto'),
    port: at('id.resp_p'),
    duration: at('duration'),
    bytes: { orig: at('orig_bytes'), resp: at('resp_bytes') },
    packets: { orig: at('orig_pkts'), resp: at('resp_pkts') },
    ipBytes: { orig: at('orig_ip_bytes'), resp: at('resp_ip_bytes') },
    bytesPerPacket: at('orig_bytes_per_pkt'),
    srcSameEndpoint: at('src_same_endpoint_share'),
    dstSamePort: at('dst_same_port_share'),
  };
  const missing = ['proto', 'port', 'duration'].filter(
    (k) => layout[k as 'proto' | 'port' | 'duration'] < 0,
  );
  if (missing.length > 0 || Object.values(layout.bytes).some((i) => i < 0))
    throw new Error(`not a Zeek conn.log schema: missing ${missing.join(', ') || 'byte fields'}`);
  return layout;
}

/** The edits a flow of this attack may use. */
export function zeekEdits(layout: ZeekLayout, rule: AttackRule, proto: string): Edit<EvasionRow>[] {
  const directions: Direction[] = rule.controls === 'both' ? ['orig', 'resp'] : ['orig'];
  const edits: Edit<EvasionRow>[] = [];
  for (const dir of directions) {
    for (const f of GRID.pad)
      edits.push(named(`pad ${dir} +${f}x`, (c, o) => pad(layout, dir, f, c, o)));
    for (const f of GRID.split)
      edits.push(named(`split ${dir} x${f}`, (c, o) => repacket(layout, dir, f, c, o)));
    for (const f of GRID.merge)
      edits.push(named(`merge ${dir} x${f}`, (c, o) => repacket(layout, dir, f, c, o)));
  }
  for (const f of GRID.stretch)
    edits.push(named(`stretch x${f}`, (c, o) => stretch(layout, f, c, o)));
  for (const s of STRETCH_FROM_ZERO)
    edits.push(named(`stretch to ${s}s`, (c, o) => stretchFromZero(layout, s, c, o)));
  if (rule.portFree)
    for (const port of COMMON_PORTS[proto] ?? [])
      edits.push(named(`port ${port}`, (c) => movePort(layout, port, c)));
  return edits;
}

const named = (
  name: string,
  apply: (current: EvasionRow, original: EvasionRow) => EvasionRow | null,
): Edit<EvasionRow> => ({ name, apply });

/**
 * More payload in a direction that already carries some (an established connection whose
 * writer is the attacker): packets grow so that none carries more than an MSS.
 */
export function pad(
  layout: ZeekLayout,
  dir: Direction,
  factor: number,
  current: EvasionRow,
  original: EvasionRow,
): EvasionRow | null {
  const v = current.values;
  const bytes = num(v[layout.bytes[dir]]);
  if (!(bytes > 0)) return null;
  const added = Math.max(1, Math.round(bytes * factor));
  const next = bytes + added;
  if (next > CAPS.bytes * num(original.values[layout.bytes[dir]])) return null;
  const packets = num(v[layout.packets[dir]]);
  const needed = Math.max(packets, Math.ceil(next / MSS));
  const header = headerOf(v[layout.proto]);
  return update(layout, current, {
    [layout.bytes[dir]]: next,
    [layout.packets[dir]]: needed,
    [layout.ipBytes[dir]]: num(v[layout.ipBytes[dir]]) + added + header * (needed - packets),
  });
}

/**
 * The same payload in more packets (smaller segments; for a direction with no payload, an
 * unanswered SYN retried, each retry a second or more later) or in fewer, fuller ones (never
 * fewer than the payload needs, nor than TCP's handshake and close take). IP bytes follow by a
 * header per packet added or removed.
 */
export function repacket(
  layout: ZeekLayout,
  dir: Direction,
  factor: number,
  current: EvasionRow,
  original: EvasionRow,
): EvasionRow | null {
  const v = current.values;
  const packets = num(v[layout.packets[dir]]);
  const bytes = num(v[layout.bytes[dir]]);
  const ipBytes = num(v[layout.ipBytes[dir]]);
  if (!(packets >= 1) || layout.packets[dir] < 0) return null;
  const proto = String(v[layout.proto]);
  const target = factor > 1 ? Math.ceil(packets * factor) : Math.floor(packets * factor);
  if (target === packets) return null;
  if (target > CAPS.packets * num(original.values[layout.packets[dir]])) return null;
  const changes: Record<number, number> = { [layout.packets[dir]]: target };
  if (bytes > 0) {
    // Every packet carries at least one payload byte, at most an MSS; TCP adds its handshake and close.
    const least = Math.ceil(bytes / MSS) + (proto === 'tcp' ? 2 : 0);
    if (target < Math.max(1, least) || target > packets + bytes) return null;
    const next = ipBytes + headerOf(proto) * (target - packets);
    if (next < bytes + 20 * target) return null;
    changes[layout.ipBytes[dir]] = next;
  } else {
    // No payload: only the originator's retries of an unanswered opening (S0), same size each.
    if (dir !== 'orig' || target < packets || num(v[layout.packets.resp]) > 0) return null;
    changes[layout.ipBytes[dir]] = ipBytes + Math.round(ipBytes / packets) * (target - packets);
    const duration = Math.max(num(v[layout.duration]), (target - 1) * RETRY_SECONDS);
    if (duration > durationCap(layout, original)) return null;
    changes[layout.duration] = duration;
  }
  return update(layout, current, changes);
}

/** Slower: a longer duration, for a flow of two packets or more (one packet has none). */
export function stretch(
  layout: ZeekLayout,
  factor: number,
  current: EvasionRow,
  original: EvasionRow,
): EvasionRow | null {
  const duration = num(current.values[layout.duration]);
  if (!(duration > 0)) return null;
  const next = duration * factor;
  return next > durationCap(layout, original)
    ? null
    : update(layout, current, { [layout.duration]: next });
}

export function stretchFromZero(
  layout: ZeekLayout,
  seconds: number,
  current: EvasionRow,
  original: EvasionRow,
): EvasionRow | null {
  const v = current.values;
  const packets = num(v[layout.packets.orig]) + num(v[layout.packets.resp]);
  if (num(v[layout.duration]) > 0 || packets < 2 || seconds > durationCap(layout, original))
    return null;
  return update(layout, current, { [layout.duration]: seconds });
}

const durationCap = (layout: ZeekLayout, original: EvasionRow) =>
  Math.max(CAPS.duration * num(original.values[layout.duration]), CAPS.durationFloorSeconds);

/** Another responder port, where the flow's port-dependent derived fields are known for it. */
export function movePort(layout: ZeekLayout, port: string, current: EvasionRow): EvasionRow | null {
  if (String(current.values[layout.port]) === port) return null;
  const withShares = layout.srcSameEndpoint >= 0;
  const shares = current.portShares?.get(port);
  if (withShares && !shares) return null;
  const values = [...current.values];
  values[layout.port] = port;
  if (withShares && shares) {
    values[layout.srcSameEndpoint] = shares.srcSameEndpoint;
    values[layout.dstSamePort] = shares.dstSamePort;
  }
  return { ...current, values };
}

const headerOf = (proto: string | number | undefined) => HEADER[String(proto)] ?? 40;

/** A copy of the flow with `changes` (field index -> value), derived sizes recomputed. */
function update(
  layout: ZeekLayout,
  current: EvasionRow,
  changes: Record<number, number>,
): EvasionRow {
  const values = [...current.values];
  for (const [at, value] of Object.entries(changes)) values[Number(at)] = value;
  if (layout.bytesPerPacket >= 0)
    values[layout.bytesPerPacket] = bytesPerPacketCategory(
      values[layout.ipBytes.orig],
      values[layout.packets.orig],
    );
  return { ...current, values };
}
