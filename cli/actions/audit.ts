/** What `fedflow audit verify` and `fedflow audit show` do (options: cli/commands/audit.ts). */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AuditEntry } from '../../shared/audit/audit-entry.js';
import { auditHtml } from '../../shared/audit/audit-html.js';
import { type PinnedKey, pinnedKeys } from '../../shared/audit/audit-inputs.js';
import { type AuditReport, auditFederation } from '../../shared/audit/audit-run.js';
import { siteSummaries } from '../../shared/audit/audit-summary.js';
import { egressTable, ingressTables, sentBySite } from '../../shared/audit/audit-tables.js';
import { disclosures, disclosureText } from '../../shared/audit/payload-disclosure.js';
import { verifyLog } from '../../shared/audit/verify-chain.js';
import { fingerprint } from '../../shared/crypto/identity.js';
import { loadPublicIdentity } from '../../shared/crypto/key-files.js';
import { writeFileDurably } from '../../shared/fs/atomic-write.js';
import { checkOutputFile, jsonReport, writeOutputFile } from '../../shared/fs/output-file.js';
import { formatTable } from '../../shared/stats/report-table.js';

/** What this command's --json writes: it replaces only a file that starts the same way. */
const AUDIT_JSON = jsonReport('an audit report', 'coordinatorLog');

export interface VerifyOptions {
  json?: string;
  unpinned?: boolean;
  allowMissingPayloads?: boolean;
  partial?: boolean;
}

export function verifyAudit(paths: string[], options: VerifyOptions): void {
  if (options.json) checkOutputFile(options.json, AUDIT_JSON);
  // No paths: this folder, e.g. an auditor's kit with each party's state/ copied into it.
  const report = auditFederation(paths.length > 0 ? paths : ['.'], {
    allowUnpinned: options.unpinned,
    allowMissingPayloads: options.allowMissingPayloads,
    partial: options.partial,
  });
  process.stdout.write(`${formatAuditReport(report)}\n`);
  if (options.json)
    writeOutputFile(options.json, `${JSON.stringify(report, null, 2)}\n`, AUDIT_JSON);
  if (report.errors > 0) process.exitCode = 1;
}

/** `audit report --html`: verify's checks, as a page; exits non-zero on errors as verify does. */
export function auditReportHtml(paths: string[], options: VerifyOptions & { html: string }): void {
  const audited = paths.length > 0 ? paths : ['.'];
  const report = auditFederation(audited, {
    allowUnpinned: options.unpinned,
    allowMissingPayloads: options.allowMissingPayloads,
    partial: options.partial,
  });
  const disclosed = new Map(
    report.sites.map((site) => [site.log, disclosures(site.log, verifyLog(site.log).entries)]),
  );
  writeFileDurably(options.html, auditHtml({ report, disclosed, at: new Date(), paths: audited }));
  process.stdout.write(
    `${options.html}: ${report.errors === 0 ? 'OK' : 'FAILED'}, ${report.errors} errors, ${report.warnings} warnings, ${report.sites.length} sites\n`,
  );
  if (report.errors > 0) process.exitCode = 1;
}

export interface ShowOptions {
  key?: string;
  decode?: boolean;
  json?: string;
}

export function showAuditLog(path: string, options: ShowOptions = {}): void {
  const file = statSync(path).isDirectory() ? logIn(path) : path;
  const signer = options.key ? loadPublicIdentity(options.key) : keyBeside(file);
  const { entries, findings } = verifyLog(file, signer?.signPublicKey);
  if (signer)
    process.stdout.write(`signer: ${signer.name} (${fingerprint(signer.signPublicKey)}), pinned\n`);
  process.stdout.write(`${showEntries(entries)}\n`);
  if (options.decode) {
    const decoded = disclosures(file, entries);
    if (entries[0]?.log === 'ingress')
      process.stdout.write(
        "(--decode reads a site's egress log: the coordinator keeps no copies)\n",
      );
    else
      process.stdout.write(
        `\nwhat each kept copy disclosed:\n${decoded.map((m) => `  ${disclosureText(m)}`).join('\n')}\n`,
      );
    if (options.json)
      writeFileSync(options.json, `${JSON.stringify({ log: file, messages: decoded }, null, 2)}\n`);
  }
  for (const f of findings)
    process.stdout.write(
      `${f.severity.toUpperCase()} ${f.code}: line ${f.line ?? '-'}: ${f.message}\n`,
    );
  if (findings.some((f) => f.severity === 'error')) process.exitCode = 1;
}

/**
 * The public key of the log's signer in the keys/ folder beside its state directory (a kit's
 * `state/` and `keys/`, or an auditor's kit with a party's copy beside `keys/`), found as
 * `audit verify` finds keys; or null.
 */
function keyBeside(logFile: string): PinnedKey | null {
  const first = readFileSync(logFile, 'utf8').split('\n', 1)[0];
  let actor = '';
  try {
    actor = (JSON.parse(first ?? '') as { actor?: string }).actor ?? '';
  } catch {
    return null; // verifyLog reports the line
  }
  return pinnedKeys([dirname(dirname(logFile))], []).get(actor) ?? null;
}

/** The state directory's egress log (a site), else its ingress log (the coordinator). */
function logIn(dir: string): string {
  const candidates = ['egress.jsonl', 'ingress.jsonl'].map((name) => join(dir, 'audit', name));
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error(`no audit log at ${candidates.join(' or ')}`);
  return found;
}

function showEntries(entries: readonly AuditEntry[]): string {
  return entries[0]?.log === 'ingress' ? ingressTables(entries) : egressTable(entries);
}

/** One line per site: how many of its deltas the coordinator kept, clipped and excluded. */
function screeningSummary(report: AuditReport): string {
  const lines = report.screening.map(
    (s) =>
      `  ${s.site} (${s.fingerprint}): ${s.actions.kept} kept, ${s.actions.clipped} clipped, ${s.actions.excluded} excluded`,
  );
  return [
    'screening of deltas by the coordinator (fedflow audit show on its ingress log lists each):',
    ...lines,
  ].join('\n');
}

/** The report as verify prints it: the sites' traffic, the screening, each finding, a verdict. */
function formatAuditReport(report: AuditReport): string {
  const out: string[] = [];
  out.push(`coordinator log: ${report.coordinatorLog ?? '(none)'}`);
  out.push(`site logs: ${report.siteLogs.length}`);
  const sent = sentBySite(report);
  out.push(formatTable(sent.head, sent.rows));
  if (report.screening.length > 0) out.push('', screeningSummary(report));
  out.push('', 'in plain words:', ...siteSummaries(report).map((p) => `  ${p}`), '');
  for (const f of report.findings) {
    out.push(
      `${f.severity.toUpperCase()} ${f.code}: ${f.file}${f.line === null ? '' : `:${f.line}`}${f.seq === null ? '' : ` (seq ${f.seq})`}: ${f.message}`,
    );
  }
  out.push(
    report.errors === 0
      ? `OK: no errors, ${report.warnings} warnings`
      : `FAILED: ${report.errors} errors, ${report.warnings} warnings`,
  );
  return out.join('\n');
}
