/**
 * A kit for a site that joins a provisioned consortium later (`fedflow provision add-site`):
 * from the description kept beside the kits, the CA in `ca/` and the coordinator's public key.
 * Enrolling it is the operator's separate step (`fedflow admin enrol`), on the coordinator.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateIdentity, validateIdentityName } from '../../shared/crypto/identity.js';
import { FLOW_FORMATS } from '../../shared/flows/formats.js';
import { loadTlsFiles } from '../../shared/tls/tls-files.js';
import type { ConsortiumDescription, SiteDescription } from './description.js';
import { DESCRIPTION_FILE, ownPublicKey } from './kits.js';
import { writeSiteKit } from './site-kit.js';

/** Writes `kits/<name>/` and records the site in the kept description; returns the kit. */
export async function addSiteKit(kits: string, site: SiteDescription): Promise<string> {
  const descriptionPath = join(kits, DESCRIPTION_FILE);
  if (!existsSync(descriptionPath))
    throw new Error(`${kits} holds no ${DESCRIPTION_FILE}: not a folder fedflow provision wrote`);
  const d = JSON.parse(readFileSync(descriptionPath, 'utf8')) as ConsortiumDescription;
  validateIdentityName(site.name);
  if (!(FLOW_FORMATS as readonly string[]).includes(site.format))
    throw new Error(`format: must be one of ${FLOW_FORMATS.join(', ')}, got ${site.format}`);
  const taken = ['coordinator', 'ca', d.auditor, DESCRIPTION_FILE, ...d.sites.map((s) => s.name)];
  const kit = join(kits, site.name);
  if (taken.includes(site.name) || existsSync(kit))
    throw new Error(`${site.name} is taken in ${kits}: choose another name`);
  const ca = d.tls
    ? loadTlsFiles({ cert: join(kits, 'ca', 'ca.crt'), key: join(kits, 'ca', 'ca.key') })
    : null;
  if (site.own && d.tls && !site.own.csr)
    throw new Error(
      `--csr: with TLS a site that keeps its own key sends its certificate request (fedflow certs request)`,
    );
  // A site that keeps its own key: refused unless the key is a client key of its name.
  if (site.own) ownPublicKey(site);
  const identity = site.own ? null : generateIdentity('client', site.name);
  const work = join(dirname(kit), `.${site.name}.partial-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  try {
    await writeSiteKit(d, site, identity, {
      kit: work,
      coordinatorPublicKey: join(kits, 'coordinator', 'keys', 'coordinator.public.json'),
      auditorKeys: join(kits, d.auditor, 'keys'),
      ca: ca
        ? {
            bundle: { certPem: ca.certPem!, keyPem: ca.keyPem! },
            certPath: join(kits, 'ca', 'ca.crt'),
          }
        : null,
    });
    renameSync(work, kit);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const kept: ConsortiumDescription = { ...d, sites: [...d.sites, site] };
  writeFileSync(descriptionPath, `${JSON.stringify(kept, null, 2)}\n`);
  return kit;
}
