/**
 * An auditor's whole check of a federation, offline: find the logs and key files under the
 * given paths, verify every log's chain and signatures, cross-check each site's egress against
 * the coordinator's ingress, open every kept plaintext and prove it is an allowed payload of
 * the published shapes, and total the bytes each site sent per kind.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fingerprint } from '../crypto/identity.js';
import { loadKeyFile } from '../crypto/key-files.js';
import { histogramProblem } from '../federation/calibration.js';
import { sketchProblem } from '../federation/encoder-round.js';
import type { ModelSpec } from '../model/model-spec.js';
import { parameterCount } from '../model/model-spec.js';
import { decodeClientPayload } from '../wire/payload-codec.js';
import { type AuditEntry, type Finding, isResultType } from './audit-entry.js';
import { crossCheck } from './cross-check.js';
import { payloadDirectory, payloadFileName } from './plaintext-copies.js';
import {
  checkScreening,
  keptDelta,
  type ScreeningTotals,
  screeningTotals,
} from './screening-check.js';

export type { ScreeningTotals } from './screening-check.js';

import { verifyLog } from './verify-chain.js';

export interface SiteTotals {
  readonly site: string;
  readonly fingerprint: string;
  readonly messages: Record<string, number>;
  readonly bytes: Record<string, number>;
  readonly plaintextsChecked: number;
}

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

/** Files under `paths` that pass `test` (recursively; shallow enough for state directories). */
function findFiles(
  paths: readonly string[],
  test: (file: string) => boolean,
  findings: Finding[],
  depth = 6,
): string[] {
  const found: string[] = [];
  const walk = (path: string, left: number) => {
    try {
      if (!existsSync(path)) return;
      if (statSync(path).isFile()) {
        if (test(path)) found.push(path);
        return;
      }
      if (left === 0 || basename(path) === 'payloads' || basename(path) === 'node_modules') return;
      for (const name of readdirSync(path).sort()) walk(join(path, name), left - 1);
    } catch (error) {
      findings.push({
        severity: 'error',
        file: path,
        line: null,
        seq: null,
        code: 'unreadable',
        message: (error as Error).message,
      });
    }
  };
  for (const p of paths) walk(p, depth);
  return found;
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
  const keys = new Map<string, { name: string; signPublicKey: Uint8Array }>();
  for (const file of findFiles(paths, (f) => f.endsWith('.public.json'), findings)) {
    try {
      const { identity } = loadKeyFile(file);
      keys.set(fingerprint(identity.signPublicKey), identity);
    } catch (error) {
      findings.push({
        severity: 'warning',
        file,
        line: null,
        seq: null,
        code: 'bad-key-file',
        message: (error as Error).message,
      });
    }
  }
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

  const verify = (file: string) => {
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
  };
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

function readFirstEntry(file: string): AuditEntry | null {
  try {
    const line = readFileSync(file, 'utf8').split('\n', 1)[0];
    return line ? (JSON.parse(line) as AuditEntry) : null;
  } catch {
    return null; // verifyLog reports the damage with its line
  }
}

/** Published model specs by version, from the coordinator's `models/vN/model.json`. */
function publishedModels(paths: readonly string[], findings: Finding[]): Map<number, ModelSpec> {
  const models = new Map<number, ModelSpec>();
  const isSpec = (f: string) => basename(f) === 'model.json' && /^v\d+$/.test(basename(dirname(f)));
  for (const file of findFiles(paths, isSpec, findings)) {
    try {
      const spec = JSON.parse(readFileSync(file, 'utf8')) as ModelSpec;
      if (!Array.isArray(spec.weights) || !Array.isArray(spec.schema?.fields))
        throw new Error('no weight manifest or schema fields');
      models.set(Number(basename(dirname(file)).slice(1)), spec);
    } catch (error) {
      findings.push({
        severity: 'error',
        file,
        line: null,
        seq: null,
        code: 'bad-model',
        message: `cannot use this published model spec: ${(error as Error).message}`,
      });
    }
  }
  return models;
}

/** Byte totals per kind, and every kept plaintext opened and checked against the published shapes. */
function siteTotals(
  site: { file: string; entries: AuditEntry[]; name: string },
  models: Map<number, ModelSpec>,
  findings: Finding[],
): SiteTotals {
  const messages: Record<string, number> = {};
  const bytes: Record<string, number> = {};
  let checked = 0;
  const schema = models.get(1)?.schema ?? null;
  for (const entry of site.entries) {
    if (entry.outcome !== 'sent' || !isResultType(entry.type)) continue;
    messages[entry.type] = (messages[entry.type] ?? 0) + 1;
    bytes[entry.type] = (bytes[entry.type] ?? 0) + entry.bytes;
    if (!entry.plaintextSha256) continue;
    const copy = join(
      payloadDirectory(site.file),
      payloadFileName(entry.seq, entry.plaintextSha256),
    );
    if (!existsSync(copy)) continue; // verifyLog already reported a missing copy
    const finding = (code: string, message: string) =>
      findings.push({ severity: 'error', file: copy, line: null, seq: entry.seq, code, message });
    let payload: ReturnType<typeof decodeClientPayload>;
    try {
      payload = decodeClientPayload(readFileSync(copy));
    } catch (error) {
      finding(
        'payload-not-allowed',
        `not a ClientPayload (sketch, delta or histogram): ${(error as Error).message}`,
      );
      continue;
    }
    checked++;
    if (payload.kind !== entry.type)
      finding('payload-kind', `the log says ${entry.type}, the payload is a ${payload.kind}`);
    let problem: string | null = null;
    if (payload.kind === 'delta') {
      const spec = models.get(payload.modelVersion);
      problem = !spec
        ? `no published model version ${payload.modelVersion} to check against`
        : payload.delta.length !== parameterCount(spec.weights)
          ? `delta has ${payload.delta.length} values, model v${payload.modelVersion} has ${parameterCount(spec.weights)} parameters`
          : null;
    } else if (payload.kind === 'histogram') {
      problem = histogramProblem(payload.counts, payload.flows);
    } else if (schema) {
      // The protocol's rules, not the run's settings: an auditor trusts no coordinator config.
      problem = sketchProblem(schema, payload);
    } else {
      problem = 'no published model v1 (with the schema) to check this sketch against';
    }
    if (problem) finding('payload-shape', problem);
  }
  return {
    site: site.name,
    fingerprint: site.entries[0]?.actor ?? '',
    messages,
    bytes,
    plaintextsChecked: checked,
  };
}
