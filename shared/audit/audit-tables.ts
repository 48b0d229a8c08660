/**
 * Plain-text views of an audit log for `fedflow audit show`: what a site sent, what the
 * coordinator received, and what its strategy did with each delta (screening).
 */
import { formatTable } from '../stats/report-table.js';
import { type AuditEntry, isResultType, RESULT_TYPES } from './audit-entry.js';
import type { AuditReport } from './audit-run.js';

/** A site's egress log: one row per result sent, with whether its receipt came back. */
export function egressTable(entries: readonly AuditEntry[]): string {
  const receipts = new Set(entries.filter((e) => e.type === 'receipt').map((e) => e.sealedSha256));
  const rows = entries
    .filter((e) => e.outcome === 'sent')
    .map((e) => [
      e.round ?? '-',
      e.type,
      e.bytes,
      e.sealedSha256.slice(0, 16),
      receipts.has(e.sealedSha256) ? 'yes' : 'no',
      e.time,
    ]);
  return formatTable(['round', 'kind', 'bytes', 'sealed sha256', 'receipt', 'time'], rows);
}

/**
 * The coordinator's ingress log: results received (with the reason of each rejection), then
 * the screening decisions, clipped and excluded ones with their reason.
 */
export function ingressTables(entries: readonly AuditEntry[]): string {
  const results = entries
    .filter((e) => isResultType(e.type))
    .map((e) => [
      e.round ?? '-',
      e.type,
      e.peer ?? 'unknown',
      e.outcome,
      e.bytes,
      e.sealedSha256.slice(0, 16),
      e.time,
      e.reason ?? '',
    ]);
  const headers = ['round', 'kind', 'from', 'outcome', 'bytes', 'sealed sha256', 'time', 'reason'];
  const parts = [formatTable(headers, results)];
  const screened = entries.filter((e) => e.screening);
  if (screened.length > 0) parts.push('', 'screening of deltas', screeningTable(screened));
  return parts.join('\n');
}

function screeningTable(entries: readonly AuditEntry[]): string {
  const rows = entries.map(({ round, peer, screening: s }) => [
    round ?? '-',
    peer ?? '-',
    s!.action,
    Number(s!.norm),
    Number(s!.cosine),
    Number(s!.weight),
    s!.strategy,
    s!.reason ?? '',
  ]);
  const headers = ['round', 'site', 'action', 'norm', 'cosine', 'weight', 'strategy', 'reason'];
  return formatTable(headers, rows);
}

/**
 * What each site sent, per result kind (the three plain kinds always, secure aggregation's
 * when a site sent any), as a table's head and rows: verify prints it, the HTML report
 * renders it.
 */
export function sentBySite(report: AuditReport): {
  head: string[];
  rows: (string | number)[][];
} {
  const kinds = RESULT_TYPES.filter(
    (k) =>
      ['sketch', 'delta', 'histogram'].includes(k) ||
      report.sites.some((s) => (s.messages[k] ?? 0) > 0),
  );
  return {
    head: [
      'site',
      'fingerprint',
      ...kinds.map((k) => `${k} msgs`),
      ...kinds.map((k) => `${k} bytes`),
      'payloads checked',
    ],
    rows: report.sites.map((s) => [
      s.site,
      s.fingerprint,
      ...kinds.map((k) => s.messages[k] ?? 0),
      ...kinds.map((k) => s.bytes[k] ?? 0),
      s.plaintextsChecked,
    ]),
  };
}
