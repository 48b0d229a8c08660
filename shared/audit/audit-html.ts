/**
 * The audit as one self-contained HTML page an auditor can attach to a finding (`fedflow
 * audit report --html`): the verdict, each site in plain words, what it sent, what each kept
 * copy disclosed, the coordinator's screening and every finding. No script, no external
 * resource; every text from the logs is escaped.
 */
import type { AuditReport } from './audit-run.js';
import { siteSummaries } from './audit-summary.js';
import { sentBySite } from './audit-tables.js';
import type { DisclosedMessage } from './payload-disclosure.js';

export interface HtmlReportInputs {
  readonly report: AuditReport;
  /** Per site log file: what its kept copies disclosed. */
  readonly disclosed: ReadonlyMap<string, readonly DisclosedMessage[]>;
  /** When the audit ran. */
  readonly at: Date;
  /** The paths audited, as given. */
  readonly paths: readonly string[];
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#111827}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}h3{font-size:15px}
.ok{color:#047857}.bad{color:#b91c1c}.muted{color:#6b7280}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border-bottom:1px solid #e5e7eb;padding:4px 8px;text-align:left;vertical-align:top}
th{color:#6b7280;font-size:12px}td.num{text-align:right;font-variant-numeric:tabular-nums}
.words{background:#f9fafb;border-left:3px solid #9ca3af;padding:8px 12px}
code{font-size:12px}.wrap{overflow-x:auto}`;

export function auditHtml(inputs: HtmlReportInputs): string {
  const { report } = inputs;
  const ok = report.errors === 0;
  const verdict = ok
    ? `<p class="ok"><strong>OK</strong>: no errors, ${report.warnings} warnings.</p>`
    : `<p class="bad"><strong>FAILED</strong>: ${report.errors} errors, ${report.warnings} warnings.</p>`;
  const body = [
    `<h1>fedflow audit</h1>`,
    `<p class="muted">Run ${escapeHtml(inputs.at.toISOString())} over ${inputs.paths.map((p) => `<code>${escapeHtml(p)}</code>`).join(', ')}; coordinator log <code>${escapeHtml(report.coordinatorLog ?? '(none)')}</code>, ${report.siteLogs.length} site logs.</p>`,
    verdict,
    `<h2>Each site in plain words</h2>`,
    ...siteSummaries(report).map((p) => `<p class="words">${escapeHtml(p)}</p>`),
    `<h2>What each site sent</h2>`,
    sentTable(report),
    ...report.sites.map((site) =>
      disclosureSection(site.site, inputs.disclosed.get(site.log) ?? []),
    ),
    `<h2>Screening of deltas by the coordinator</h2>`,
    screeningTable(report),
    `<h2>Findings</h2>`,
    findingsTable(report),
  ];
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>fedflow audit</title><style>${STYLE}</style></head><body>\n${body.join('\n')}\n</body></html>\n`;
}

function sentTable(report: AuditReport): string {
  const { head, rows } = sentBySite(report);
  return table(head, rows);
}

function disclosureSection(site: string, messages: readonly DisclosedMessage[]): string {
  if (messages.length === 0) return '';
  const rows = messages.map((m) => [m.seq, m.round ?? '-', m.type, describe(m)]);
  return `<h3>What ${escapeHtml(site)}'s kept copies disclosed</h3>${table(['seq', 'round', 'kind', 'disclosed'], rows)}`;
}

function describe(m: DisclosedMessage): string {
  const d = m.disclosed;
  if (!d) return m.problem ?? '';
  if ('categorical' in d) {
    const fields = d.categorical.map(
      (f) =>
        `${f.field}: ${Object.entries(f.values)
          .sort((a, b) => b[1] - a[1])
          .map(([v, n]) => `${v} ${n}`)
          .join(', ')}`,
    );
    const numeric = d.numeric.map((f) => `${f.field}: ${Object.keys(f.bins).length} bins`);
    return [`${d.rows} rows`, ...fields, ...numeric].join('\n');
  }
  if ('norm' in d)
    return `model v${d.modelVersion}, ${d.parameters} parameters (${d.bits}-bit), L2 norm ${d.norm.toPrecision(4)}, ${d.examples} examples`;
  if ('bins' in d)
    return `model v${d.modelVersion}, ${d.flows} flows in ${Object.keys(d.bins).length} score bins`;
  return `${d.bytes} bytes`;
}

function screeningTable(report: AuditReport): string {
  if (report.screening.length === 0) return '<p class="muted">No screened training round.</p>';
  const rows = report.screening.map((s) => [
    s.site,
    s.fingerprint,
    s.actions.kept,
    s.actions.clipped,
    s.actions.excluded,
  ]);
  return table(['site', 'fingerprint', 'kept', 'clipped', 'excluded'], rows);
}

function findingsTable(report: AuditReport): string {
  if (report.findings.length === 0) return '<p class="ok">None.</p>';
  const rows = report.findings.map((f) => [
    f.severity,
    f.code,
    `${f.file}${f.line === null ? '' : `:${f.line}`}`,
    f.seq ?? '-',
    f.message,
  ]);
  return table(['severity', 'code', 'where', 'seq', 'what'], rows);
}

function table(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const tr = rows
    .map(
      (row) =>
        `<tr>${row.map((v) => (typeof v === 'number' ? `<td class="num">${v.toLocaleString('en-US')}</td>` : `<td>${escapeHtml(v).replaceAll('\n', '<br>')}</td>`)).join('')}</tr>`,
    )
    .join('');
  return `<div class="wrap"><table><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table></div>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
