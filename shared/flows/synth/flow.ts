/**
 * The record the synthetic generator yields: one Zeek conn.log row plus its ground-truth label.
 */

/** The site types the generator can imitate; each stands for a different partner organisation. */
export const ORGANISATION_PROFILES = ['web', 'mail-dns', 'internal'] as const;
export type OrganisationProfile = (typeof ORGANISATION_PROFILES)[number];

/** The attack patterns the generator can mix into normal traffic. */
export const ATTACK_KINDS = ['scan', 'flood', 'bruteforce', 'exfiltration'] as const;
export type AttackKind = (typeof ATTACK_KINDS)[number];

/** The `label` column: `normal` or the attack kind. */
export type FlowLabel = 'normal' | AttackKind;

export type TransportProto = 'tcp' | 'udp' | 'icmp';

/** The Zeek connection states the generator produces (a subset of Zeek's). */
export type ConnState = 'SF' | 'S0' | 'S1' | 'REJ' | 'RSTO' | 'RSTR' | 'OTH';

/**
 * One connection in Zeek conn.log terms. `null` stands for a field Zeek leaves unset (`-`):
 * no recognised service, no history, or duration and byte counts of a single-packet connection.
 * Each record is a fresh object that the consumer owns.
 */
export interface SyntheticFlow {
  /** Start time in integer microseconds since the epoch, so ordering and formatting are exact. */
  tsMicros: number;
  uid: string;
  origHost: string;
  origPort: number;
  respHost: string;
  respPort: number;
  proto: TransportProto;
  service: string | null;
  /** Seconds. */
  duration: number | null;
  origBytes: number | null;
  respBytes: number | null;
  connState: ConnState;
  localOrig: boolean;
  localResp: boolean;
  missedBytes: number;
  history: string | null;
  origPkts: number;
  origIpBytes: number;
  respPkts: number;
  respIpBytes: number;
  label: FlowLabel;
}
