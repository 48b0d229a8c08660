/**
 * The sites a running coordinator admits, which may change while it runs: from the config's
 * public key files at start, or from a signed allow-list file it watches (watch-allow-list.ts).
 * Enrolment asks it on every challenge; the status asks it for the sites to list.
 */
import { bytesEqual } from '../../shared/crypto/bytes.js';
import { fingerprint, type PublicIdentity } from '../../shared/crypto/identity.js';

export interface AllowListChange {
  readonly added: readonly PublicIdentity[];
  readonly removed: readonly PublicIdentity[];
}

export class AllowList {
  private current: readonly PublicIdentity[];

  constructor(
    sites: readonly PublicIdentity[],
    /** The serial of the signed file the sites came from (0: the config's key files). */
    private currentSerial = 0,
  ) {
    this.current = [...sites];
  }

  get sites(): readonly PublicIdentity[] {
    return this.current;
  }

  get serial(): number {
    return this.currentSerial;
  }

  /** The allowed site with this signing key (whole keys compared, not fingerprints). */
  find(signPublicKey: Uint8Array): PublicIdentity | undefined {
    return this.current.find((site) => bytesEqual(site.signPublicKey, signPublicKey));
  }

  /** Replaces the list; returns who was added and who removed (a changed key is both). */
  replace(sites: readonly PublicIdentity[], serial: number): AllowListChange {
    const key = (site: PublicIdentity) =>
      `${fingerprint(site.signPublicKey)}:${Buffer.from(site.boxPublicKey).toString('hex')}`;
    const before = new Set(this.current.map(key));
    const after = new Set(sites.map(key));
    const change = {
      added: sites.filter((site) => !before.has(key(site))),
      removed: this.current.filter((site) => !after.has(key(site))),
    };
    this.current = [...sites];
    this.currentSerial = serial;
    return change;
  }
}
