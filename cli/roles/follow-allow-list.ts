/**
 * Enrolment and revocation while the coordinator runs: it watches its signed allow-list file
 * (`allowListFile`, rewritten by `fedflow admin enrol|revoke`) and applies each new version.
 * A revoked site's session ends and its open tasks fail at once, so no later round selects
 * it; an enrolled one may enrol from then on. Each change is an entry of the ingress log.
 */
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { AllowList } from '../../coordinator/enrolment/allow-list.js';
import { parseAllowList } from '../../coordinator/enrolment/signed-allow-list.js';
import type { Enrolment } from '../../coordinator/service/enrolment.js';
import type { RemoteClients } from '../../coordinator/service/remote-clients.js';
import { ALLOW_LIST_TYPE, sha256Hex } from '../../shared/audit/audit-entry.js';
import type { AuditLogWriter } from '../../shared/audit/audit-log-writer.js';
import { fingerprint, type Identity, type PublicIdentity } from '../../shared/crypto/identity.js';

export interface AllowListParts {
  readonly identity: Identity;
  readonly allowList: AllowList;
  readonly enrolment: Enrolment;
  readonly clients: RemoteClients;
  readonly ingress: AuditLogWriter;
  log(line: string): void;
  /** After a change was applied (the dashboard shows the new list). */
  onChange(): void;
}

/**
 * Follows `path` until the returned function is called; none (a coordinator whose list is
 * its config's key files, `path` ''): nothing to follow.
 */
export function followAllowList(
  path: string,
  parts: AllowListParts,
  intervalMs = 1000,
): () => void {
  if (!path) return () => {};
  const check = () => applyAllowListFile(path, parts);
  watchFile(path, { interval: intervalMs, persistent: false }, check);
  return () => unwatchFile(path, check);
}

/** Reads `path` once and applies it if it is a newer list signed by this coordinator. */
export function applyAllowListFile(path: string, parts: AllowListParts): void {
  const { identity, allowList, log } = parts;
  let bytes: Buffer;
  let file: ReturnType<typeof parseAllowList>;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    log(
      `warning: allow-list ${path}: cannot read: ${code}; the allow-list stays at serial ${allowList.serial}`,
    );
    return;
  }
  try {
    file = parseAllowList(path, bytes.toString('utf8'), identity.signPublicKey);
  } catch (error) {
    log(`warning: ${(error as Error).message}; the allow-list stays at serial ${allowList.serial}`);
    return;
  }
  if (file.serial === allowList.serial) return;
  if (file.serial < allowList.serial) {
    log(
      `warning: allow-list ${path}: serial ${file.serial} is older than the one in force (${allowList.serial}): ignored, so an old list put back cannot re-admit a revoked site`,
    );
    return;
  }
  const change = allowList.replace(file.sites, file.serial);
  const record = (site: PublicIdentity, outcome: 'enrolled' | 'revoked') =>
    parts.ingress.append({
      peer: fingerprint(site.signPublicKey),
      type: ALLOW_LIST_TYPE,
      round: null,
      taskId: null,
      bytes: bytes.length,
      sealedSha256: sha256Hex(bytes),
      plaintextSha256: null,
      outcome,
    });
  for (const site of change.removed) {
    const id = fingerprint(site.signPublicKey);
    parts.enrolment.revoke(id);
    parts.clients.remove(id, `site ${site.name} was revoked`);
    record(site, 'revoked');
  }
  for (const site of change.added) record(site, 'enrolled');
  const names = (sites: readonly PublicIdentity[]) => sites.map((s) => s.name).join(', ') || 'none';
  log(
    `allow-list serial ${file.serial} in force: enrolled ${names(change.added)}; revoked ${names(change.removed)}; ${allowList.sites.length} sites allowed`,
  );
  parts.onChange();
}
