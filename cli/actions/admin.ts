/** What `fedflow admin` does (its options: cli/commands/admin.ts). */
import {
  type AllowListFile,
  readAllowList,
  writeAllowList,
} from '../../coordinator/enrolment/signed-allow-list.js';
import { loadCoordinatorConfig } from '../../shared/config/federation-config.js';
import { fingerprint, type Identity } from '../../shared/crypto/identity.js';
import { loadPrivateIdentity, loadPublicIdentity } from '../../shared/crypto/key-files.js';
import type { AdminOptions } from '../commands/admin.js';

type Write = (text: string) => void;
const toStdout: Write = (text) => process.stdout.write(text);

export function enrol(publicKeyFile: string, options: AdminOptions, write: Write = toStdout): void {
  const site = loadPublicIdentity(publicKeyFile);
  if (site.role !== 'client')
    throw new Error(
      `${publicKeyFile} is a ${site.role} key; only a site's (client) key can be enrolled`,
    );
  change(options, write, (list) => {
    const same = list.sites.find((s) => s.name === site.name);
    if (same && fingerprint(same.signPublicKey) === fingerprint(site.signPublicKey))
      throw new Error(`${site.name} (${fingerprint(site.signPublicKey)}) is already allowed`);
    if (same)
      throw new Error(
        `another key is allowed as ${site.name} (${fingerprint(same.signPublicKey)}): revoke it first`,
      );
    return {
      sites: [...list.sites, site],
      done: `enrolled ${site.name} (${fingerprint(site.signPublicKey)})`,
    };
  });
}

export function revoke(name: string, options: AdminOptions, write: Write = toStdout): void {
  change(options, write, (list) => {
    const site = list.sites.find((s) => s.name === name);
    if (!site)
      throw new Error(
        `no site named ${name} is allowed (allowed: ${list.sites.map((s) => s.name).join(', ') || 'none'})`,
      );
    return {
      sites: list.sites.filter((s) => s !== site),
      done: `revoked ${name} (${fingerprint(site.signPublicKey)})`,
    };
  });
}

export function listSites(options: AdminOptions, write: Write = toStdout): void {
  const { list } = open(options);
  write(`allow-list serial ${list.serial}: ${list.sites.length} sites\n`);
  for (const site of list.sites) write(`${site.name}  ${fingerprint(site.signPublicKey)}\n`);
}

function open(options: AdminOptions): { path: string; coordinator: Identity; list: AllowListFile } {
  const config = loadCoordinatorConfig(options.config);
  if (!config.allowListFile)
    throw new Error(
      `${options.config} has no allowListFile: this coordinator's allow-list is its clients' key files (edit them and restart), or set allowListFile (fedflow provision does)`,
    );
  const coordinator = loadPrivateIdentity(config.privateKey);
  const list = readAllowList(config.allowListFile, coordinator.signPublicKey);
  return { path: config.allowListFile, coordinator, list };
}

/** Signs the next serial of the list with what `edit` makes of it. */
function change(
  options: AdminOptions,
  write: Write,
  edit: (list: AllowListFile) => { sites: AllowListFile['sites']; done: string },
): void {
  const { path, coordinator, list } = open(options);
  const { sites, done } = edit(list);
  writeAllowList(path, { serial: list.serial + 1, sites }, coordinator);
  write(
    `${done}: allow-list serial ${list.serial + 1}, ${sites.length} sites; a running coordinator applies it within seconds\n`,
  );
}
