/**
 * Attack campaigns mixed into normal traffic. Each campaign has its own source host(s) and
 * target and lasts a number of connections (attack-bursts.ts sends them in a burst).
 */
import { ATTACKER_HOSTS, ephemeralPort, pickHost } from './addresses.js';
import { type Endpoints, icmpEcho, tcpAttempt, tcpExchange, udpFlow } from './connection.js';
import type { AttackKind, SyntheticFlow } from './flow.js';
import type { AttackSurface } from './profiles.js';
import type { SeededRandom } from './random.js';

/** A running campaign: how many connections it has left, and how to make the next one. */
export interface Campaign {
  remaining: number;
  readonly next: () => SyntheticFlow;
}

/** Ports a vertical scan tries first (nmap's most common), before random ones. */
const COMMON_PORTS = [
  21, 22, 23, 25, 53, 80, 110, 111, 135, 139, 143, 443, 445, 993, 995, 1433, 1723, 3306, 3389, 5432,
  5900, 6379, 8080, 8443, 9200, 27017,
];
/** Ports a horizontal sweep looks for across hosts. */
const SWEPT_PORTS = [22, 23, 445, 3389, 80, 5900, 6379];

function scanCampaign(random: SeededRandom, surface: AttackSurface): Campaign {
  const ends = {
    origHost: random.pick(surface.intruders.addresses),
    // Raw-socket scanners send every probe from one source port.
    origPort: random.int(32768, 65000),
    localOrig: surface.intruders.local,
    localResp: surface.siteHosts.local,
  };
  const vertical = random.chance(0.5);
  const target = random.pick(surface.siteHosts.addresses);
  const sweptPort = random.pick(SWEPT_PORTS);
  // Most ports of one host are closed (RST); most hosts of a sweep are silent or filtered.
  const [rejected, open] = vertical ? [0.65, 0.05] : [0.3, 0.1];
  return {
    remaining: random.int(200, 2000),
    next() {
      const probe: Endpoints = {
        ...ends,
        respHost: vertical ? target : random.pick(surface.siteHosts.addresses),
        respPort: !vertical
          ? sweptPort
          : random.chance(0.5)
            ? random.pick(COMMON_PORTS)
            : random.int(1, 65535),
      };
      const u = random.next();
      const rtt = random.logNormal(0.0004, 0.8);
      if (u < rejected) return tcpAttempt(probe, null, 'REJ', 1, 44, rtt, 'scan');
      if (u < rejected + open) return tcpAttempt(probe, null, 'probe-reset', 1, 44, rtt, 'scan');
      // A silent port gets one retry now and then.
      const syns = random.chance(0.15) ? 2 : 1;
      const duration = syns === 1 ? null : random.logNormal(1, 0.2);
      return tcpAttempt(probe, null, 'S0', syns, 44, duration, 'scan');
    },
  };
}

function floodCampaign(random: SeededRandom, surface: AttackSurface): Campaign {
  const exposed = random.pick(surface.exposed);
  const target = random.pick(exposed.hosts.addresses);
  const bots = Array.from({ length: random.int(1, 6) }, () =>
    random.pick(surface.intruders.addresses),
  );
  const icmp = random.chance(0.2);
  const payload = random.pick([512, 1024, 1400]);
  const ends = (respPort: number): Endpoints => ({
    origHost: random.pick(bots),
    origPort: random.int(1024, 65535),
    respHost: target,
    respPort,
    localOrig: surface.intruders.local,
    localResp: exposed.hosts.local,
  });
  // Flood tools reuse a 5-tuple for a burst of packets, or change it every packet.
  const burst = () => (random.chance(0.3) ? 1 : Math.max(2, Math.round(random.logNormal(20, 1))));
  return {
    remaining: random.int(500, 5000),
    next() {
      const packets = burst();
      const duration = packets * random.logNormal(0.001, 0.5);
      if (icmp) return icmpEcho(ends(0), packets, payload, false, duration, 'flood');
      if (exposed.proto === 'udp') {
        const port = random.chance(0.5) ? exposed.port : random.int(1024, 65535);
        const datagrams = {
          origBytes: packets * payload,
          origPkts: packets,
          respBytes: 0,
          respPkts: 0,
          duration,
        };
        return udpFlow(ends(port), null, datagrams, 'flood');
      }
      // Spoofed SYNs carry no TCP options: 40-byte packets, where real stacks send 60.
      const span = packets === 1 ? null : duration;
      return tcpAttempt(ends(exposed.port), null, 'S0', packets, 40, span, 'flood');
    },
  };
}

/** Login services and how one failed login session looks on each. */
const LOGIN_SERVICES = [
  { service: 'ssh', port: 22, origBytes: 1900, respBytes: 2600, duration: 2.5, segment: 120 },
  { service: 'ftp', port: 21, origBytes: 70, respBytes: 260, duration: 1, segment: 30 },
  { service: 'rdp', port: 3389, origBytes: 1600, respBytes: 2900, duration: 1.5, segment: 250 },
] as const;

function bruteforceCampaign(random: SeededRandom, surface: AttackSurface): Campaign {
  const login = random.pick(LOGIN_SERVICES);
  // One tool and one password list: every attempt looks almost the same.
  const origBytes = random.logNormal(login.origBytes, 0.1);
  const respBytes = random.logNormal(login.respBytes, 0.1);
  const duration = random.logNormal(login.duration, 0.3);
  const origHost = random.pick(surface.intruders.addresses);
  const respHost = random.pick(surface.loginHosts.addresses);
  return {
    remaining: random.int(100, 1500),
    next() {
      const ends: Endpoints = {
        origHost,
        origPort: ephemeralPort(random),
        respHost,
        respPort: login.port,
        localOrig: surface.intruders.local,
        localResp: surface.loginHosts.local,
      };
      const u = random.next();
      const ending = u < 0.55 ? 'SF' : u < 0.9 ? 'RSTO' : 'RSTR';
      const exchange = {
        origBytes: Math.round(origBytes * random.logNormal(1, 0.03)),
        respBytes: Math.round(respBytes * random.logNormal(1, 0.03)),
        duration: duration * random.logNormal(1, 0.15),
        segment: login.segment,
      };
      return tcpExchange(random, ends, login.service, ending, exchange, 'bruteforce');
    },
  };
}

/** Unusual ports for a covert channel, with the service Zeek would recognise on each. */
const COVERT_PORTS = [
  { port: 8443, service: 'ssl' },
  { port: 4443, service: 'ssl' },
  { port: 2222, service: null },
  { port: 9001, service: null },
  { port: 6667, service: null },
] as const;

function exfiltrationCampaign(random: SeededRandom, surface: AttackSurface): Campaign {
  const origHost = pickHost(random, surface.insiders);
  const respHost = random.pick(ATTACKER_HOSTS.addresses);
  const channel = random.next();
  const covert = random.pick(COVERT_PORTS);
  const tunnelPort = ephemeralPort(random);
  const base = { origHost, respHost, localOrig: surface.insiders.local, localResp: false };
  return {
    remaining: random.int(3, 30),
    next() {
      if (channel < 0.25) {
        // DNS tunnelling: one long-lived socket, many oversized queries, short answers.
        const ends: Endpoints = { ...base, origPort: tunnelPort, respPort: 53 };
        const queries = Math.max(20, Math.round(random.logNormal(800, 0.8)));
        const origBytes = Math.round(queries * random.logNormal(190, 0.1));
        const respBytes = Math.round(queries * random.logNormal(90, 0.15));
        const duration = random.logNormal(180, 0.6);
        const datagrams = { origBytes, origPkts: queries, respBytes, respPkts: queries, duration };
        return udpFlow(ends, 'dns', datagrams, 'exfiltration');
      }
      const { port, service } = channel < 0.7 ? { port: 443, service: 'ssl' } : covert;
      const ends: Endpoints = { ...base, origPort: ephemeralPort(random), respPort: port };
      const origBytes = Math.round(random.logNormal(30_000_000, 1.2));
      const exchange = {
        origBytes,
        respBytes: Math.round(random.logNormal(8000, 0.6)),
        duration: Math.max(random.logNormal(600, 0.8), origBytes / random.logNormal(1e6, 0.5)),
        segment: 1448,
      };
      const ending = random.chance(0.9) ? 'SF' : 'RSTO';
      return tcpExchange(random, ends, service, ending, exchange, 'exfiltration');
    },
  };
}

const CAMPAIGNS: Record<AttackKind, (random: SeededRandom, surface: AttackSurface) => Campaign> = {
  scan: scanCampaign,
  flood: floodCampaign,
  bruteforce: bruteforceCampaign,
  exfiltration: exfiltrationCampaign,
};

/** A new campaign of `kind` against the site's attack surface. */
export function startCampaign(
  kind: AttackKind,
  random: SeededRandom,
  surface: AttackSurface,
): Campaign {
  return CAMPAIGNS[kind](random, surface);
}
