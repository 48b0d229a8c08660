/**
 * Writes one startup kit per party from a consortium description: the coordinator's, each
 * site's and the auditor's, each a folder to copy as it is to that party's machine, with its
 * keys, certificates, a config whose relative paths hold where the kit lands, a start script
 * and a README. A private key is written into its own party's kit only; the CA's key stays
 * with whoever provisions, in `ca/`, outside every kit.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { writeAllowList } from '../../coordinator/enrolment/signed-allow-list.js';
import { loadCoordinatorConfig } from '../../shared/config/federation-config.js';
import {
  generateIdentity,
  type PublicIdentity,
  publicIdentity,
} from '../../shared/crypto/identity.js';
import { loadPublicIdentity, writeIdentityFiles } from '../../shared/crypto/key-files.js';
import { writeCertificateFiles } from '../../shared/tls/certificate-files.js';
import { createCa, issueCertificate } from '../../shared/tls/certificates.js';
import type { ConsortiumDescription, SiteDescription } from './description.js';
import { auditorReadme, coordinatorReadme } from './kit-texts.js';
import { shareFile, writeConfig, writeKitScript, writeSiteKit } from './site-kit.js';

/** The coordinator's signed allow-list, in its kit: `fedflow admin` changes it while it runs. */
export const ALLOW_LIST_FILE = 'allow-list.json';
/** The checked description, kept beside the kits for adding a site later (add-site.ts). */
export const DESCRIPTION_FILE = 'consortium.json';

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
  const allowed: PublicIdentity[] = [];
  for (const site of d.sites) {
    const kit = join(root, site.name);
    // A site that keeps its own key brings its public key; the others get theirs made here.
    const identity = site.own ? null : generateIdentity('client', site.name);
    allowed.push(identity ? publicIdentity(identity) : ownPublicKey(site));
    await writeSiteKit(d, site, identity, {
      kit,
      coordinatorPublicKey: coordinatorKeys.publicPath,
      auditorKeys: join(auditorKit, 'keys'),
      ca: ca ? { bundle: ca, certPath: join(caDir, 'ca.crt') } : null,
    });
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
  writeAllowList(join(coordinatorKit, ALLOW_LIST_FILE), { serial: 1, sites: allowed }, coordinator);
  writeConfig(
    join(coordinatorKit, 'coordinator.json'),
    coordinatorConfig(d),
    loadCoordinatorConfig,
  );
  writeFileSync(join(root, DESCRIPTION_FILE), `${JSON.stringify(d, null, 2)}\n`);
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
    allowListFile: ALLOW_LIST_FILE,
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

/** A site's own public key file, refused unless it is a client key of that site's name. */
export function ownPublicKey(site: SiteDescription): PublicIdentity {
  const identity = loadPublicIdentity(site.own!.publicKey);
  if (identity.role !== 'client' || identity.name !== site.name)
    throw new Error(
      `${site.own!.publicKey}: a ${identity.role} key named ${identity.name}, not site ${site.name}'s (fedflow keys --role client --name ${site.name})`,
    );
  return identity;
}
