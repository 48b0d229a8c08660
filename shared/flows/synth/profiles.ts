/**
 * The three organisation profiles: which hosts a site has, what its normal traffic is made of,
 * and what attackers can reach. They share some traffic (every site resolves names) but differ
 * in mix, so partners built from them are deliberately non-IID.
 */
import {
  type AddressPool,
  ATTACKER_HOSTS,
  INTERNET_CLIENTS,
  INTERNET_SERVERS,
  mergePools,
  sitePool,
} from './addresses.js';
import type { OrganisationProfile, TransportProto } from './flow.js';
import { icmpClass, type TrafficClass, tcpClass, udpClass } from './traffic-class.js';

/** A service that can be flooded. */
export interface ExposedService {
  readonly hosts: AddressPool;
  readonly proto: TransportProto;
  readonly port: number;
}

/** What attacks on a site start from and aim at. */
export interface AttackSurface {
  /** Where scans, floods and brute-force attempts come from. */
  readonly intruders: AddressPool;
  /** What scans sweep. */
  readonly siteHosts: AddressPool;
  readonly exposed: readonly ExposedService[];
  /** Hosts with a login service (ssh, ftp, rdp) for brute force. */
  readonly loginHosts: AddressPool;
  /** Hosts that exfiltrate once compromised. */
  readonly insiders: AddressPool;
}

export interface SiteProfile {
  readonly name: OrganisationProfile;
  /** Mean connection rate; only sets how much time a file spans. */
  readonly flowsPerSecond: number;
  readonly traffic: readonly TrafficClass[];
  readonly attackSurface: AttackSurface;
}

/** A public web presence: a few servers answering HTTP(S) to the internet, plus office staff. */
function webProfile(): SiteProfile {
  const webServers = sitePool('10.10.1.10', 4);
  const dbServers = sitePool('10.10.2.20', 2);
  const resolver = sitePool('10.10.0.53', 1);
  const staff = sitePool('10.10.20.1', 150);
  const resolverClients = mergePools(webServers, staff);
  // biome-ignore format: one traffic class per entry, laid out as a table
  const traffic = [
    tcpClass({ weight: 40, service: 'ssl', port: 443, from: INTERNET_CLIENTS, to: webServers,
      origBytes: [1100, 0.7], respBytes: [24_000, 1.6], duration: [1.2, 1.3], failure: 0.04 }),
    tcpClass({ weight: 18, service: 'http', port: 80, from: INTERNET_CLIENTS, to: webServers,
      origBytes: [480, 0.5], respBytes: [11_000, 1.8], duration: [0.35, 1.2], failure: 0.05 }),
    tcpClass({ weight: 9, service: 'mysql', port: 3306, from: webServers, to: dbServers,
      origBytes: [650, 1], respBytes: [3500, 1.6], duration: [0.04, 1], segment: 400,
      failure: 0.005 }),
    tcpClass({ weight: 9, service: 'ssl', port: 443, from: staff, to: INTERNET_SERVERS,
      origBytes: [1600, 1], respBytes: [38_000, 1.9], duration: [4, 1.5] }),
    tcpClass({ weight: 3, service: 'http', port: 80, from: staff, to: INTERNET_SERVERS,
      origBytes: [450, 0.5], respBytes: [9000, 1.8], duration: [0.5, 1.2] }),
    udpClass({ weight: 10, service: 'dns', port: 53, from: resolverClients, to: resolver,
      origBytes: [38, 0.2], respBytes: [110, 0.5], duration: [0.002, 1], packets: [1.3, 0.4] }),
    udpClass({ weight: 4, service: 'dns', port: 53, from: resolver, to: INTERNET_SERVERS,
      origBytes: [40, 0.2], respBytes: [170, 0.6], duration: [0.03, 1], failure: 0.03 }),
    udpClass({ weight: 1.5, service: 'ntp', port: 123, from: webServers, to: INTERNET_SERVERS,
      origBytes: [48, 0], respBytes: [48, 0], duration: [0.02, 0.6], origPort: 123 }),
    tcpClass({ weight: 1, service: 'ssh', port: 22, from: staff, to: webServers,
      origBytes: [4000, 1.5], respBytes: [9000, 1.8], duration: [120, 1.5], segment: 180 }),
    icmpClass({ weight: 1, from: staff, to: webServers }),
  ];
  return {
    name: 'web',
    flowsPerSecond: 60,
    traffic,
    attackSurface: {
      intruders: ATTACKER_HOSTS,
      siteHosts: mergePools(webServers, dbServers, resolver, staff),
      exposed: [
        { hosts: webServers, proto: 'tcp', port: 443 },
        { hosts: webServers, proto: 'tcp', port: 80 },
      ],
      loginHosts: webServers,
      insiders: mergePools(webServers, staff),
    },
  };
}

/** A mail and DNS provider: MX relays, mailbox access, authoritative and recursive DNS. */
function mailDnsProfile(): SiteProfile {
  const mx = sitePool('172.20.1.25', 2);
  const mailStore = sitePool('172.20.1.30', 1);
  const nameServers = sitePool('172.20.0.53', 2);
  const resolver = sitePool('172.20.0.10', 1);
  const timeServer = sitePool('172.20.0.123', 1);
  const staff = sitePool('172.20.10.1', 200);
  // biome-ignore format: one traffic class per entry, laid out as a table
  const traffic = [
    udpClass({ weight: 24, service: 'dns', port: 53, from: INTERNET_CLIENTS, to: nameServers,
      origBytes: [45, 0.25], respBytes: [170, 0.6], duration: [0.0004, 0.8], failure: 0.01 }),
    tcpClass({ weight: 2, service: 'dns', port: 53, from: INTERNET_CLIENTS, to: nameServers,
      origBytes: [60, 0.3], respBytes: [1800, 1], duration: [0.05, 1] }),
    udpClass({ weight: 12, service: 'dns', port: 53, from: resolver, to: INTERNET_SERVERS,
      origBytes: [42, 0.2], respBytes: [190, 0.7], duration: [0.03, 1], failure: 0.03 }),
    udpClass({ weight: 8, service: 'dns', port: 53, from: staff, to: resolver,
      origBytes: [38, 0.2], respBytes: [120, 0.6], duration: [0.004, 1], packets: [1.3, 0.4] }),
    tcpClass({ weight: 16, service: 'smtp', port: 25, from: INTERNET_SERVERS, to: mx,
      origBytes: [9000, 1.6], respBytes: [750, 0.35], duration: [1.6, 1], segment: 1200,
      failure: 0.08 }),
    tcpClass({ weight: 6, service: 'smtp', port: 25, from: mx, to: INTERNET_SERVERS,
      origBytes: [9000, 1.6], respBytes: [750, 0.35], duration: [1.6, 1], segment: 1200,
      failure: 0.05 }),
    tcpClass({ weight: 6, service: 'smtp', port: 587, from: staff, to: mx,
      origBytes: [14_000, 1.7], respBytes: [1300, 0.4], duration: [1.2, 1], segment: 1200 }),
    tcpClass({ weight: 9, service: 'ssl', port: 993, from: staff, to: mailStore,
      origBytes: [1500, 1], respBytes: [22_000, 1.9], duration: [25, 1.5], segment: 900 }),
    tcpClass({ weight: 3, service: 'imap', port: 143, from: staff, to: mailStore,
      origBytes: [900, 0.8], respBytes: [15_000, 1.8], duration: [20, 1.5], segment: 700 }),
    tcpClass({ weight: 2, service: 'pop3', port: 110, from: staff, to: mailStore,
      origBytes: [300, 0.5], respBytes: [40_000, 1.8], duration: [1.5, 1] }),
    udpClass({ weight: 3, service: 'ntp', port: 123, from: staff, to: timeServer,
      origBytes: [48, 0], respBytes: [48, 0], duration: [0.002, 0.6] }),
    udpClass({ weight: 1, service: 'ntp', port: 123, from: timeServer, to: INTERNET_SERVERS,
      origBytes: [48, 0], respBytes: [48, 0], duration: [0.03, 0.6], origPort: 123 }),
    tcpClass({ weight: 4, service: 'ssl', port: 443, from: staff, to: INTERNET_SERVERS,
      origBytes: [1600, 1], respBytes: [38_000, 1.9], duration: [4, 1.5] }),
    tcpClass({ weight: 1, service: 'ssh', port: 22, from: staff, to: mx,
      origBytes: [4000, 1.5], respBytes: [9000, 1.8], duration: [120, 1.5], segment: 180 }),
    icmpClass({ weight: 1, from: staff, to: mx }),
  ];
  return {
    name: 'mail-dns',
    flowsPerSecond: 30,
    traffic,
    attackSurface: {
      intruders: ATTACKER_HOSTS,
      siteHosts: mergePools(mx, mailStore, nameServers, resolver, timeServer, staff),
      exposed: [
        { hosts: nameServers, proto: 'udp', port: 53 },
        { hosts: mx, proto: 'tcp', port: 25 },
      ],
      loginHosts: mergePools(mx, mailStore),
      insiders: mergePools(staff, mailStore),
    },
  };
}

/** A corporate LAN: Windows domain, file shares, remote desktops, Linux and database servers. */
function internalProfile(): SiteProfile {
  const workstations = sitePool('192.168.10.1', 800);
  const domainControllers = sitePool('192.168.1.2', 2);
  const dhcpServer = sitePool('192.168.1.5', 1);
  const fileServers = sitePool('192.168.1.10', 4);
  const dbServers = sitePool('192.168.2.10', 6);
  const rdpHosts = sitePool('192.168.3.10', 20);
  const linuxServers = sitePool('192.168.4.10', 30);
  const monitors = sitePool('192.168.5.10', 2);
  const dc = domainControllers;
  // biome-ignore format: one traffic class per entry, laid out as a table
  const traffic = [
    tcpClass({ weight: 14, service: 'smb', port: 445, from: workstations, to: fileServers,
      origBytes: [2500, 2], respBytes: [25_000, 2.3], duration: [6, 2], segment: 1200 }),
    tcpClass({ weight: 9, service: 'ldap', port: 389, from: workstations, to: dc,
      origBytes: [700, 0.8], respBytes: [2600, 1], duration: [0.06, 1.2], segment: 600 }),
    udpClass({ weight: 2, service: 'ldap', port: 389, from: workstations, to: dc,
      origBytes: [200, 0.3], respBytes: [450, 0.4], duration: [0.002, 0.8] }),
    udpClass({ weight: 7, service: 'krb', port: 88, from: workstations, to: dc,
      origBytes: [1300, 0.5], respBytes: [1450, 0.4], duration: [0.004, 0.8] }),
    tcpClass({ weight: 3, service: 'krb_tcp', port: 88, from: workstations, to: dc,
      origBytes: [1700, 0.4], respBytes: [1600, 0.4], duration: [0.01, 0.8] }),
    udpClass({ weight: 16, service: 'dns', port: 53, from: workstations, to: dc,
      origBytes: [42, 0.25], respBytes: [130, 0.6], duration: [0.002, 1], packets: [1.3, 0.4] }),
    tcpClass({ weight: 4, service: 'dce_rpc', port: 135, from: workstations, to: dc,
      origBytes: [900, 0.7], respBytes: [700, 0.7], duration: [0.02, 1], segment: 300 }),
    tcpClass({ weight: 5, service: 'rdp', port: 3389, from: workstations, to: rdpHosts,
      origBytes: [180_000, 2], respBytes: [2_500_000, 2], duration: [900, 1.5], segment: 500 }),
    tcpClass({ weight: 7, service: 'ssh', port: 22, from: workstations, to: linuxServers,
      origBytes: [5000, 1.8], respBytes: [12_000, 2], duration: [60, 2], segment: 200 }),
    tcpClass({ weight: 3, service: 'mysql', port: 3306, from: linuxServers, to: dbServers,
      origBytes: [650, 1], respBytes: [3500, 1.6], duration: [0.04, 1], segment: 400 }),
    // Zeek has no analyser enabled for these by default: their service is unset.
    tcpClass({ weight: 3, service: null, port: 5432, from: linuxServers, to: dbServers,
      origBytes: [800, 1], respBytes: [6000, 1.6], duration: [0.08, 1.2], segment: 500 }),
    tcpClass({ weight: 2, service: null, port: 1433, from: workstations, to: dbServers,
      origBytes: [1200, 1], respBytes: [9000, 1.6], duration: [0.5, 1.5], segment: 800 }),
    tcpClass({ weight: 4, service: 'http', port: 80, from: workstations, to: linuxServers,
      origBytes: [500, 0.5], respBytes: [9000, 1.7], duration: [0.3, 1.2] }),
    tcpClass({ weight: 3, service: 'ssl', port: 443, from: workstations, to: INTERNET_SERVERS,
      origBytes: [1600, 1], respBytes: [38_000, 1.9], duration: [4, 1.5] }),
    udpClass({ weight: 2, service: 'ntp', port: 123, from: workstations, to: dc,
      origBytes: [48, 0], respBytes: [48, 0], duration: [0.002, 0.6] }),
    udpClass({ weight: 1, service: 'dhcp', port: 67, from: workstations, to: dhcpServer,
      origBytes: [300, 0.05], respBytes: [320, 0.05], duration: [0.01, 0.6], packets: [2, 0],
      origPort: 68, failure: 0.005 }),
    udpClass({ weight: 2, service: 'snmp', port: 161, from: monitors, to: linuxServers,
      origBytes: [80, 0.3], respBytes: [250, 0.6], duration: [0.003, 0.8], failure: 0.01 }),
    icmpClass({ weight: 1, from: monitors, to: linuxServers }),
  ];
  return {
    name: 'internal',
    flowsPerSecond: 80,
    traffic,
    attackSurface: {
      // A compromised lab segment: the intruder is already inside.
      intruders: sitePool('192.168.66.10', 8),
      siteHosts: mergePools(domainControllers, fileServers, dbServers, rdpHosts, linuxServers),
      exposed: [
        { hosts: domainControllers, proto: 'udp', port: 53 },
        { hosts: fileServers, proto: 'tcp', port: 445 },
      ],
      loginHosts: mergePools(rdpHosts, linuxServers),
      insiders: workstations,
    },
  };
}

/** The profile of the given name, with its host pools built fresh. */
export function siteProfile(name: OrganisationProfile): SiteProfile {
  switch (name) {
    case 'web':
      return webProfile();
    case 'mail-dns':
      return mailDnsProfile();
    case 'internal':
      return internalProfile();
  }
}
