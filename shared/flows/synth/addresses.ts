/**
 * Host address pools: private ranges for a site's own hosts, IPv4 documentation ranges
 * (RFC 5737) for the internet, so no generated address belongs to anyone real.
 */
import type { SeededRandom } from './random.js';

/** A set of hosts, all inside or all outside the site (Zeek's `local_orig`/`local_resp`). */
export interface AddressPool {
  readonly addresses: readonly string[];
  readonly local: boolean;
}

function parseIpv4(text: string): number {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255))
    throw new Error(`not an IPv4 address: '${text}'`);
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

function formatIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/**
 * Consecutive addresses from `first`, skipping .0 and .255 so no host sits on a network or
 * broadcast address. Strings are built once here, not per flow.
 */
function hostRange(first: string, count: number): string[] {
  const addresses: string[] = [];
  for (let value = parseIpv4(first); addresses.length < count; value++) {
    const lastOctet = value & 255;
    if (lastOctet !== 0 && lastOctet !== 255) addresses.push(formatIpv4(value));
  }
  return addresses;
}

/** `count` hosts of the site itself, from `first` on. */
export function sitePool(first: string, count: number): AddressPool {
  return { addresses: hostRange(first, count), local: true };
}

/** Internet hosts, as `[first, count]` ranges inside the documentation networks. */
export function externalPool(...ranges: readonly (readonly [string, number])[]): AddressPool {
  return { addresses: ranges.flatMap(([first, count]) => hostRange(first, count)), local: false };
}

/** Several pools as one, e.g. every host of a site as a scan range. */
export function mergePools(...pools: readonly AddressPool[]): AddressPool {
  const local = pools[0]?.local ?? true;
  if (pools.some((pool) => pool.local !== local))
    throw new Error('cannot merge site and internet address pools');
  return { addresses: pools.flatMap((pool) => pool.addresses), local };
}

/**
 * One host, skewed towards the start of the pool: real traffic has a few busy hosts and a long
 * tail of quiet ones, and a uniform pick would hide that.
 */
export function pickHost(random: SeededRandom, pool: AddressPool): string {
  const u = random.next();
  return pool.addresses[Math.floor(u * u * pool.addresses.length)]!;
}

/** A client-side port from the IANA dynamic range that modern stacks use. */
export function ephemeralPort(random: SeededRandom): number {
  return random.int(49152, 65535);
}

/** Internet clients of the site's public services. */
export const INTERNET_CLIENTS = externalPool(['198.51.100.1', 254], ['203.0.113.1', 190]);
/** Internet servers the site's own hosts talk to (resolvers, mail relays, CDNs). */
export const INTERNET_SERVERS = externalPool(['192.0.2.1', 254]);
/** Hosts only attackers use: a slice of TEST-NET-3 that normal traffic never touches. */
export const ATTACKER_HOSTS = externalPool(['203.0.113.200', 54]);
