/**
 * One site's part of an audit report: the result messages and bytes it sent per kind, and
 * every plaintext copy it kept opened and proven an allowed payload of the published shapes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { histogramProblem } from '../federation/calibration.js';
import { sketchProblem } from '../federation/encoder-round.js';
import type { ModelSpec } from '../model/model-spec.js';
import { parameterCount } from '../model/model-spec.js';
import { decodeClientPayload } from '../wire/payload-codec.js';
import { type AuditEntry, type Finding, isResultType } from './audit-entry.js';
import { payloadDirectory, payloadFileName } from './plaintext-copies.js';

export interface SiteTotals {
  readonly site: string;
  readonly fingerprint: string;
  /** The site's egress log. */
  readonly log: string;
  readonly messages: Record<string, number>;
  readonly bytes: Record<string, number>;
  readonly plaintextsChecked: number;
}

/** Byte totals per kind, and every kept plaintext opened and checked against the published shapes. */
export function siteTotals(
  site: { file: string; entries: AuditEntry[]; name: string },
  models: Map<number, ModelSpec>,
  findings: Finding[],
): SiteTotals {
  const messages: Record<string, number> = {};
  const bytes: Record<string, number> = {};
  let checked = 0;
  const fingerprint = site.entries[0]?.actor ?? '';
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
      findings.push({
        severity: 'error',
        file: copy,
        line: null,
        seq: entry.seq,
        code,
        message,
        site: fingerprint,
      });
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
    const problem = shapeProblem(payload, models, schema);
    if (problem) finding('payload-shape', problem);
  }
  return {
    site: site.name,
    fingerprint,
    log: site.file,
    messages,
    bytes,
    plaintextsChecked: checked,
  };
}

/** Why a kept payload is not of the published shape, or null when it is. */
function shapeProblem(
  payload: ReturnType<typeof decodeClientPayload>,
  models: Map<number, ModelSpec>,
  schema: ModelSpec['schema'] | null,
): string | null {
  if (payload.kind === 'delta') {
    const spec = models.get(payload.modelVersion);
    return !spec
      ? `no published model version ${payload.modelVersion} to check against`
      : payload.delta.length !== parameterCount(spec.weights)
        ? `delta has ${payload.delta.length} values, model v${payload.modelVersion} has ${parameterCount(spec.weights)} parameters`
        : null;
  } else if (payload.kind === 'histogram') {
    return histogramProblem(payload.counts, payload.flows);
  } else if (payload.kind === 'masked-delta') {
    // Masked: uniform on its own. Its shape is what an auditor can check: one word per
    // parameter of the model it was trained from, then examples and loss.
    const spec = models.get(payload.modelVersion);
    return !spec
      ? `no published model version ${payload.modelVersion} to check against`
      : payload.masked.length !== parameterCount(spec.weights) + 2
        ? `masked delta has ${payload.masked.length} words, model v${payload.modelVersion} needs ${parameterCount(spec.weights) + 2}`
        : null;
  } else if (payload.kind !== 'sketch') {
    // Keys, sealed shares and revealed shares: decoding already held each to its fixed size.
    return null;
  } else if (schema) {
    // The protocol's rules, not the run's settings: an auditor trusts no coordinator config.
    return sketchProblem(schema, payload);
  } else {
    return 'no published model v1 (with the schema) to check this sketch against';
  }
}
