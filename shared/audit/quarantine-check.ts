/**
 * Checks the side files quarantine entries name: the bytes a crash cut off the end of a log,
 * moved aside by the writer (see AuditLogWriter.open). A side file that is missing leaves the
 * auditor unable to see what was cut off (a warning: the chain itself lost nothing); one that
 * no longer has the length and digest its entry signed was altered (an error).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type AuditEntry, type Finding, QUARANTINE_TYPE, sha256Hex } from './audit-entry.js';

export function checkQuarantinedBytes(
  path: string,
  located: readonly { readonly entry: AuditEntry; readonly line: number }[],
): Finding[] {
  const findings: Finding[] = [];
  for (const { entry, line } of located) {
    if (entry.type !== QUARANTINE_TYPE) continue;
    const report = (severity: Finding['severity'], code: string, message: string) =>
      findings.push({ severity, file: path, line, seq: entry.seq, code, message });
    const name = /moved to (\S+)$/.exec(entry.reason ?? '')?.[1];
    if (!name || name !== basename(name)) {
      report(
        'error',
        'quarantine-name',
        `expected the name of a side file beside the log, got ${JSON.stringify(entry.reason)}`,
      );
      continue;
    }
    const side = join(dirname(path), name);
    if (!existsSync(side)) {
      report(
        'warning',
        'quarantine-missing',
        `the cut-off bytes it names are not beside the log (${name}): what was cut off cannot be inspected`,
      );
      continue;
    }
    const bytes = readFileSync(side);
    if (bytes.length !== entry.bytes || sha256Hex(bytes) !== entry.sealedSha256)
      report(
        'error',
        'quarantine-altered',
        `${name} holds ${bytes.length} bytes with SHA-256 ${sha256Hex(bytes)}; the entry signed ${entry.bytes} bytes with ${entry.sealedSha256}`,
      );
  }
  return findings;
}
