/**
 * Writes one startup kit per party from a consortium description: the coordinator's, each
 * site's and the auditor's, each a folder to copy as it is to that party's machine, with its
 * keys, certificates, a config whose relative paths hold where the kit lands, a start script
 * and a README. A private key is written into its own party's kit only; the CA's key stays
 * with whoever provisions, in `ca/`, outside every kit.
 */
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { isIP } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { loadClientConfig, loadCoordinatorConfig } from '../../shared/config/federation-config.js';
import { generateIdentity } from '../../shared/crypto/identity.js';
import { writeIdentityFiles } from '../../shared/crypto/key-files.js';
import { writeCertificateFiles } from '../../shared/tls/certificate-files.js';
import { createCa, issueCertificate } from '../../shared/tls/certificates.js';
import type { ConsortiumDescription, SiteDescription } from './description.js';
import { auditorReadme, coordinatorReadme, siteReadme, startScript } from './kit-texts.js';

export interface ProvisionedKits {
  readonly out: string;
  readonly coordinator: string;
  readonly sites: readonly string[];
  readonly auditor: string;
  readonly ca: string;
}

/**
 * Writes every kit under `out`, which must not exist or be empty. The kits are built in a
 * sibling folder and renamed into place, so a failure leaves no half-provisioned consortium.
 */
export async function provisionKits(
  description: ConsortiumDescription,
  out: string,
): Promise<ProvisionedKits> {
  if (existsSync(out) && readdirSync(out).length > 0)
    throw new Error(
      `${out} is not empty: provision into a new folder (new keys would lock the old kits out)`,
    );
  mkdirSync(dirname(out), { recursive: true });
  const work = join(dirname(out), `.${basename(out)}.partial-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  try {
    const kits = await writeKits(description, work);
    if (existsSync(out)) rmSync(out, { recursive: true }); // empty, checked above
    renameSync(work, out);
    const at = (dir: string) => join(out, basename(dir));
    return {
      out,
      coordinator: at(kits.coordinator),
      sites: kits.sites.map(at),
      auditor: at(kits.auditor),
      ca: at(kits.ca),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function writeKits(d: ConsortiumDescription, root: string) {
  const coordinatorKit = join(root, 'coordinator');
  const auditorKit = join(root, d.auditor);
  const caDir = join(root, 'ca');
  const coordinator = generateIdentity('coordinator', 'coordinator');
  const coordinatorKeys = writeIdentityFiles(join(coordinatorKit, 'keys'), coordinator);
  const ca = d.tls ? await createCa(`${d.name} CA`, d.validDays + 1) : null;
  if (ca) writeCertificateFiles(caDir, 'ca', ca);

  const sites: string[] = [];
  for (const site of d.sites) {
    const kit = join(root, site.name);
    const keys = writeIdentityFiles(join(kit, 'keys'), generateIdentity('client', site.name));
    // The allow-list and the auditor hold public keys only.
    shareFile(keys.publicPath, join(coordinatorKit, 'sites'));
    shareFile(keys.publicPath, join(auditorKit, 'keys'));
    shareFile(coordinatorKeys.publicPath, join(kit, 'keys'));
    if (ca) {
      const bundle = await issueCertificate(ca, {
        commonName: site.name,
        role: 'client',
        validDays: d.validDays,
      });
      writeCertificateFiles(join(kit, 'tls'), site.name, bundle);
      shareFile(join(caDir, 'ca.crt'), join(kit, 'tls'));
    }
    writeConfig(join(kit, 'client.json'), siteConfig(d, site), loadClientConfig);
    writeKitScript(kit, 'client', 'client.json');
    writeFileSync(join(kit, 'README.md'), siteReadme(d, site));
    sites.push(kit);
  }

  if (ca) {
    const names = isIP(d.address.host)
      ? { ipAddresses: [d.address.host] }
      : { dnsNames: [d.address.host] };
    const bundle = await issueCertificate(ca, {
      commonName: 'coordinator',
      role: 'server',
      validDays: d.validDays,
      ...names,
    });
    writeCertificateFiles(join(coordinatorKit, 'tls'), 'coordinator', bundle);
    shareFile(join(caDir, 'ca.crt'), join(coordinatorKit, 'tls'));
  }
  writeConfig(
    join(coordinatorKit, 'coordinator.json'),
    coordinatorConfig(d),
    loadCoordinatorConfig,
  );
  writeKitScript(coordinatorKit, 'coordinator', 'coordinator.json');
  writeFileSync(join(coordinatorKit, 'README.md'), coordinatorReadme(d));
  shareFile(coordinatorKeys.publicPath, join(auditorKit, 'keys'));
  writeFileSync(join(auditorKit, 'README.md'), auditorReadme(d));
  return { coordinator: coordinatorKit, sites, auditor: auditorKit, ca: caDir };
}

function coordinatorConfig(d: ConsortiumDescription): Record<string, unknown> {
  return {
    ...d.coordinatorSettings,
    listen: d.listen,
    stateDir: 'state',
    privateKey: 'keys/coordinator.private.json',
    clients: d.sites.map((s) => `sites/${s.name}.public.json`),
    tls: d.tls
      ? {
          enabled: true,
          ca: 'tls/ca.crt',
          cert: 'tls/coordinator.crt',
          key: 'tls/coordinator.key',
          requireClientCert: true,
        }
      : { enabled: false },
  };
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
function writeConfig(
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

function writeKitScript(kit: string, command: string, config: string): void {
  const path = join(kit, 'start.sh');
  writeFileSync(path, startScript(command, config));
  chmodSync(path, 0o755);
}

/** Copies a public file (a public key, the CA certificate) into another kit's folder. */
function shareFile(path: string, dir: string): void {
  mkdirSync(dir, { recursive: true });
  copyFileSync(path, join(dir, basename(path)));
}
