/**
 * An auditor's whole check of a federation, offline: find the logs and key files under the
 * given paths, verify every log's chain and signatures, cross-check each site's egress against
 * the coordinator's ingress, open every kept plaintext and prove it is an allowed payload of
 * the published shapes, and total the bytes each site sent per kind.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { AuditEntry, Finding } from './audit-entry.js';
import { findFiles, type PinnedKey, pinnedKeys, publishedModels } from './audit-inputs.js';
import { crossCheck } from './cross-check.js';
import {
  checkScreening,
  keptDelta,
  type ScreeningTotals,
  screeningTotals,
} from './screening-check.js';
import { type SiteTotals, siteTotals } from './site-totals.js';

export type { ScreeningTotals } from './screening-check.js';

import { verifyLog } from './verify-chain.js';

export interface AuditReport {
  readonly coordinatorLog: string | null;
  readonly siteLogs: string[];
  readonly sites: SiteTotals[];
  readonly screening: ScreeningTotals[];
  readonly findings: Finding[];
  readonly errors: number;
  readonly warnings: number;
}

export interface AuditOptions {
  /** Accept logs whose signer has no public key file under the paths (only a warning then). */
  readonly allowUnpinned?: boolean;
  /** Accept sent results whose plaintext copy was not kept (sites with audit.keepPlaintext off). */
  readonly allowMissingPayloads?: boolean;
  /** Only some of the sites' logs are given on purpose (see CrossCheckOptions.partial). */
  readonly partial?: boolean;
}

export function auditFederation(paths: readonly string[], options: AuditOptions = {}): AuditReport {
  const findings: Finding[] = [];
  for (const p of paths) {
    if (!existsSync(p))
      findings.push({
        severity: 'error',
        file: p,
        line: null,
        seq: null,
        code: 'unreadable',
        message: 'no such file or directory',
      });
  }
  const keys = pinnedKeys(paths, findings);
  const models = publishedModels(paths, findings);
  const ingressFiles = findFiles(paths, (f) => basename(f) === 'ingress.jsonl', findings);
  const egressFiles = findFiles(paths, (f) => basename(f) === 'egress.jsonl', findings);
  if (ingressFiles.length !== 1)
    findings.push({
      severity: 'error',
      file: paths.join(', '),
      line: null,
      seq: null,
      code: 'coordinator-log',
      message: `expected one coordinator ingress.jsonl, found ${ingressFiles.length}`,
    });
  if (egressFiles.length === 0)
    findings.push({
      severity: 'error',
      file: paths.join(', '),
      line: null,
      seq: null,
      code: 'no-site-logs',
      message: 'no site egress.jsonl found',
    });

  const verify = (file: string) => verifyPinnedLog(file, keys, options, findings);
  const ingress = ingressFiles[0] ? verify(ingressFiles[0]) : null;
  const sites = egressFiles.map(verify);
  if (ingress) {
    findings.push(
      ...crossCheck(
        sites.map((s) => ({
          site: s.entries[0]?.actor ?? s.name,
          entries: s.entries,
          file: s.file,
        })),
        ingress.entries,
        { ingressFile: ingress.file, partial: options.partial ?? false },
      ),
    );
    findings.push(
      ...checkScreening(ingress.entries, ingress.file, { deltaOf: keptDelta(ingress.file) }),
    );
  }
  const totals = sites.map((site) => siteTotals(site, models, findings));
  const errors = findings.filter((f) => f.severity === 'error').length;
  return {
    coordinatorLog: ingress?.file ?? null,
    siteLogs: egressFiles,
    sites: totals,
    screening: screeningTotals(ingress?.entries ?? [], (id) => keys.get(id)?.name ?? id),
    findings,
    errors,
    warnings: findings.length - errors,
  };
}

/**
 * Verifies one log against the signer its first entry names, which a public key file under
 * the paths must pin; its entries, and the name of the site (or coordinator) that wrote it.
 */
function verifyPinnedLog(
  file: string,
  keys: ReadonlyMap<string, PinnedKey>,
  options: AuditOptions,
  findings: Finding[],
): { file: string; entries: AuditEntry[]; name: string } {
  const first = readFirstEntry(file);
  const pinned = first ? keys.get(first.actor) : undefined;
  if (first && !pinned) {
    // A log signed by a key nobody vouched for proves nothing about who wrote it.
    findings.push({
      severity: options.allowUnpinned ? 'warning' : 'error',
      file,
      line: 1,
      seq: 0,
      code: 'unknown-signer',
      message: `signed by ${first.actor}, which matches no public key file under the given paths; add the directory holding its NAME.public.json${options.allowUnpinned ? '' : ', or pass --unpinned'}`,
    });
  }
  const result = verifyLog(file, pinned?.signPublicKey, {
    requirePlaintext: basename(file) === 'egress.jsonl' && !options.allowMissingPayloads,
  });
  findings.push(...result.findings);
  return {
    file,
    entries: result.entries,
    name: pinned?.name ?? first?.actor ?? basename(dirname(dirname(file))),
  };
}

function readFirstEntry(file: string): AuditEntry | null {
  try {
    const line = readFileSync(file, 'utf8').split('\n', 1)[0];
    return line ? (JSON.parse(line) as AuditEntry) : null;
  } catch {
    return null; // verifyLog reports the damage with its line
  }
}
