/**
 * One site's startup kit: its own keys (the private one only here), the coordinator's public
 * key, its client certificate from the consortium CA, its config, start script and README.
 * Written by provision for every site, and by add-site for a site that joins later.
 */
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { basename, join } from 'node:path';
import { loadClientConfig } from '../../shared/config/federation-config.js';
import type { Identity } from '../../shared/crypto/identity.js';
import { writeIdentityFiles } from '../../shared/crypto/key-files.js';
import { writeCertificateFiles } from '../../shared/tls/certificate-files.js';
import { issueClientFromRequest } from '../../shared/tls/certificate-requests.js';
import { type CertificateBundle, issueCertificate } from '../../shared/tls/certificates.js';
import type { ConsortiumDescription, SiteDescription } from './description.js';
import { siteReadme, startScript } from './kit-texts.js';

export interface SiteKitPlaces {
  /** The kit's folder. */
  readonly kit: string;
  readonly coordinatorPublicKey: string;
  /** Where the auditor keeps every party's public key. */
  readonly auditorKeys: string;
  /** The consortium CA (null when TLS is off). */
  readonly ca: { readonly bundle: CertificateBundle; readonly certPath: string } | null;
}

/**
 * The site's keys: made here (its private key then written into its kit only), or the site's
 * own (site.own: its public key file and certificate request; its private keys never pass
 * through here and the site adds them to its kit).
 */
export async function writeSiteKit(
  d: ConsortiumDescription,
  site: SiteDescription,
  identity: Identity | null,
  places: SiteKitPlaces,
): Promise<void> {
  const { kit, ca } = places;
  const publicPath = identity
    ? writeIdentityFiles(join(kit, 'keys'), identity).publicPath
    : shareFile(site.own!.publicKey, join(kit, 'keys'), `${site.name}.public.json`);
  shareFile(publicPath, places.auditorKeys);
  shareFile(places.coordinatorPublicKey, join(kit, 'keys'));
  if (ca) {
    const validDays = d.validDays;
    if (site.own) {
      const csr = site.own.csr!;
      const certPem = await issueClientFromRequest(
        ca.bundle,
        readFileSync(csr, 'utf8'),
        site.name,
        validDays,
        csr,
      );
      mkdirSync(join(kit, 'tls'), { recursive: true, mode: 0o700 });
      writeFileSync(join(kit, 'tls', `${site.name}.crt`), certPem, { mode: 0o644 });
    } else {
      const bundle = await issueCertificate(ca.bundle, {
        commonName: site.name,
        role: 'client',
        validDays,
      });
      writeCertificateFiles(join(kit, 'tls'), site.name, bundle);
    }
    shareFile(ca.certPath, join(kit, 'tls'));
  }
  writeConfig(join(kit, 'client.json'), siteConfig(d, site), loadClientConfig);
  writeKitScript(kit, 'client', 'client.json');
  writeFileSync(join(kit, 'README.md'), siteReadme(d, site));
}

function siteConfig(d: ConsortiumDescription, site: SiteDescription): Record<string, unknown> {
  const { host, port } = d.address;
  return {
    name: site.name,
    coordinator: {
      address: `${isIP(host) === 6 ? `[${host}]` : host}:${port}`,
      publicKey: 'keys/coordinator.public.json',
    },
    privateKey: `keys/${site.name}.private.json`,
    stateDir: 'state',
    data: { files: site.files, format: site.format },
    tls: d.tls
      ? {
          enabled: true,
          ca: 'tls/ca.crt',
          cert: `tls/${site.name}.crt`,
          key: `tls/${site.name}.key`,
        }
      : { enabled: false },
  };
}

/**
 * Writes a config and loads it back through its role's own schema: a setting the role would
 * refuse at start (a misspelt federation key, say) is refused now, naming the setting.
 */
export function writeConfig(
  path: string,
  config: Record<string, unknown>,
  load: (file: string) => unknown,
): void {
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
  try {
    load(path);
  } catch (error) {
    throw new Error(
      `the ${basename(path)} this description gives is refused: ${(error as Error).message}`,
    );
  }
}

export function writeKitScript(kit: string, command: string, config: string): void {
  const path = join(kit, 'start.sh');
  writeFileSync(path, startScript(command, config));
  chmodSync(path, 0o755);
}

/** Copies a public file (a public key, the CA certificate) into another kit's folder. */
export function shareFile(path: string, dir: string, name = basename(path)): string {
  mkdirSync(dir, { recursive: true });
  const target = join(dir, name);
  copyFileSync(path, target);
  return target;
}
