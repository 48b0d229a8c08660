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
  readonly findings: Finding[];
  readonly errors: number;
  readonly warnings: number;
}

/** Files named `name` under `paths` (recursively; shallow enough for state directories). */
function findFiles(paths: readonly string[], test: (file: string) => boolean, depth = 6): string[] {
  const found: string[] = [];
  const walk = (path: string, left: number) => {
    if (!existsSync(path)) return;
    if (statSync(path).isFile()) {
      if (test(path)) found.push(path);
      return;
    }
    if (left === 0 || basename(path) === 'payloads' || basename(path) === 'node_modules') return;
    for (const name of readdirSync(path).sort()) walk(join(path, name), left - 1);
  };
  for (const p of paths) walk(p, depth);
  return found;
}

export function auditFederation(paths: readonly string[]): AuditReport {
  const findings: Finding[] = [];
  const keys = new Map<string, { name: string; signPublicKey: Uint8Array }>();
  for (const file of findFiles(paths, (f) => f.endsWith('.public.json'))) {
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
  const models = publishedModels(paths);
  const ingressFiles = findFiles(paths, (f) => basename(f) === 'ingress.jsonl');
  const egressFiles = findFiles(paths, (f) => basename(f) === 'egress.jsonl');
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
    const result = verifyLog(file, pinned?.signPublicKey);
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
        { ingressFile: ingress.file },
      ),
    );
  }
  const totals = sites.map((site) => siteTotals(site, models, findings));
  const errors = findings.filter((f) => f.severity === 'error').length;
  return {
    coordinatorLog: ingress?.file ?? null,
    siteLogs: egressFiles,
    sites: totals,
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
function publishedModels(paths: readonly string[]): Map<number, ModelSpec> {
  const models = new Map<number, ModelSpec>();
  for (const file of findFiles(
    paths,
    (f) => basename(f) === 'model.json' && /^v\d+$/.test(basename(dirname(f))),
  )) {
    models.set(
      Number(basename(dirname(file)).slice(1)),
      JSON.parse(readFileSync(file, 'utf8')) as ModelSpec,
    );
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
      problem = sketchProblem(schema.fields, payload);
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
