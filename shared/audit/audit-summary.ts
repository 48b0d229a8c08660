/**
 * What an audit found, per site, in sentences a non-developer can sign off: what the site
 * sent (kinds, counts, bytes), that nothing of any other kind left it, whether each kept copy
 * was opened and proven of an allowed kind and the published shape, and whether the
 * coordinator received every message as sent. Each sentence is claimed only when no error
 * finding about that site contradicts it.
 */
import { dirname, sep } from 'node:path';
import type { Finding } from './audit-entry.js';
import type { AuditReport } from './audit-run.js';
import type { SiteTotals } from './site-totals.js';

/** How each result kind reads in a sentence: [one, many]. */
const KIND_NAMES: Record<string, [string, string]> = {
  sketch: ['category sketch', 'category sketches'],
  delta: ['weight delta', 'weight deltas'],
  histogram: ['score histogram', 'score histograms'],
  'masked-delta': ['masked weight delta', 'masked weight deltas'],
  'secagg-keys': ['secure-aggregation key message', 'secure-aggregation key messages'],
  'secagg-shares': ['sealed key-share message', 'sealed key-share messages'],
  'secagg-reveal': ['revealed key-share message', 'revealed key-share messages'],
};

/** Codes that mean a message left in a form the protocol does not allow, or unproven. */
const PAYLOAD_CODES = new Set(['payload-not-allowed', 'payload-kind', 'payload-shape']);

/** One paragraph per site, in the report's site order. */
export function siteSummaries(report: AuditReport): string[] {
  return report.sites.map((site) => siteSummary(site, errorsAbout(site, report.findings)));
}

function siteSummary(site: SiteTotals, errors: readonly Finding[]): string {
  const kinds = Object.keys(site.messages).filter((k) => (site.messages[k] ?? 0) > 0);
  const total = kinds.reduce((n, k) => n + site.messages[k]!, 0);
  const bytes = kinds.reduce((n, k) => n + (site.bytes[k] ?? 0), 0);
  const parts = kinds.map((k) => {
    const count = site.messages[k]!;
    const [one, many] = KIND_NAMES[k] ?? [k, `${k} messages`];
    return `${count} ${count === 1 ? one : many} (${grouped(site.bytes[k] ?? 0)} bytes)`;
  });
  const sentences = [
    `${site.site} (${site.fingerprint}) sent ${total} message${total === 1 ? '' : 's'}, ${grouped(bytes)} bytes in all: ${parts.join(', ') || 'nothing'}.`,
  ];
  const payloadErrors = errors.filter((f) => PAYLOAD_CODES.has(f.code));
  const otherErrors = errors.filter((f) => !PAYLOAD_CODES.has(f.code));
  if (payloadErrors.length > 0)
    sentences.push(
      `NOT PROVEN: ${payloadErrors.length} of its messages could not be shown to be of an allowed kind and the published shape (findings below).`,
    );
  else if (site.plaintextsChecked === total)
    sentences.push(
      `Each message's kept copy was opened: every one is of an allowed kind with the published shape, and its signed log records no message of any other kind (no flow record).`,
    );
  else
    sentences.push(
      `${site.plaintextsChecked} of its ${total} messages had a kept copy, opened and of an allowed kind and the published shape; for the other ${total - site.plaintextsChecked}, only their signed log entries (kind, size, digest) are proof of what left.`,
    );
  sentences.push(
    otherErrors.length === 0
      ? 'Its log is intact and signed by its key, and the coordinator received every message as sent.'
      : `NOT VERIFIED: ${otherErrors.length} finding${otherErrors.length === 1 ? '' : 's'} about its log or what the coordinator received (below).`,
  );
  return sentences.join(' ');
}

/** Error findings about `site`: named by its fingerprint, or in a file under its state folder. */
function errorsAbout(site: SiteTotals, findings: readonly Finding[]): Finding[] {
  const stateDir = dirname(dirname(site.log)); // <state>/audit/egress.jsonl
  return findings.filter(
    (f) =>
      f.severity === 'error' &&
      (f.site === site.fingerprint || f.file === site.log || f.file.startsWith(stateDir + sep)),
  );
}

function grouped(n: number): string {
  return n.toLocaleString('en-US');
}
