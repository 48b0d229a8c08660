/** What `fedflow provision` does (its options: cli/commands/provision.ts). */
import { relative, resolve } from 'node:path';
import type { AddSiteOptions, ProvisionOptions } from '../commands/provision.js';
import { addSiteKit } from '../provision/add-site.js';
import type { SiteDescription } from '../provision/description.js';
import { readConsortiumDescription } from '../provision/description.js';
import { provisionKits } from '../provision/kits.js';

export async function provision(
  file: string,
  options: ProvisionOptions,
  write: (text: string) => void = (text) => process.stdout.write(text),
): Promise<void> {
  // Not a required option in commander: that would also be asked of `provision add-site`.
  if (!options.out)
    throw new Error('provision: --out DIR is required (a new or empty folder for the kits)');
  const description = readConsortiumDescription(file);
  const kits = await provisionKits(description, options.out);
  const at = (dir: string) => relative(process.cwd(), dir) || '.';
  const rows: [string, string][] = [
    [
      at(kits.coordinator),
      `the coordinator's kit: copy to ${description.address.host}, run ./start.sh`,
    ],
    ...kits.sites.map((kit, i): [string, string] => [
      at(kit),
      `site ${description.sites[i]!.name}'s kit: copy to that site, run ./start.sh`,
    ]),
    [at(kits.auditor), "the auditor's kit: public keys only, and how to run audit verify"],
  ];
  if (description.tls)
    rows.push([
      at(kits.ca),
      'the CA certificate and its key: keep with whoever issues certificates, in no kit',
    ]);
  const width = Math.max(...rows.map(([path]) => path.length)) + 2;
  write(rows.map(([path, what]) => `${path.padEnd(width)}${what}\n`).join(''));
  write('Each kit holds its own private key only; its README says what to copy and keep.\n');
}

export async function addSite(
  name: string,
  options: AddSiteOptions,
  write: (text: string) => void = (text) => process.stdout.write(text),
): Promise<void> {
  if (options.csr && !options.publicKey)
    throw new Error(
      'add-site: --csr comes with --public-key (a site that keeps its own keys sends both)',
    );
  const own = options.publicKey
    ? {
        own: {
          publicKey: resolve(options.publicKey),
          csr: options.csr ? resolve(options.csr) : null,
        },
      }
    : {};
  const site = {
    name,
    files: options.files ?? [],
    format: options.format,
    ...own,
  } as SiteDescription;
  const kit = await addSiteKit(options.kits, site);
  const at = relative(process.cwd(), kit) || '.';
  write(
    `${at}: site ${name}'s kit: copy to that site, run ./start.sh\n` +
      `On the coordinator, with ${name}.public.json from ${at}/keys: fedflow admin enrol ${name}.public.json --config coordinator.json\n`,
  );
}
