/**
 * What a site's kept payload copies disclosed, decoded for an auditor (`fedflow audit show
 * --decode`): of each sketch, every categorical value and its count and each numeric field's
 * non-empty histogram bins; of each score histogram, its bins; of each delta, its shape and
 * norm. The copies are binary protobuf; this is the form a person can read and sign off.
 */
import type { ClientPayload } from '../federation/messages.js';
import { decodeClientPayload } from '../wire/payload-codec.js';
import type { AuditEntry } from './audit-entry.js';
import { keptPlaintext } from './plaintext-copies.js';

export type Disclosure =
  | {
      readonly kind: 'sketch';
      readonly rows: number;
      readonly categorical: readonly { field: string; values: Record<string, number> }[];
      /** Per numeric field: the non-empty bins of the published log grid, by index. */
      readonly numeric: readonly { field: string; bins: Record<string, number> }[];
    }
  | {
      readonly kind: 'histogram';
      readonly modelVersion: number;
      readonly flows: number;
      readonly bins: Record<string, number>;
    }
  | {
      readonly kind: 'delta';
      readonly modelVersion: number;
      readonly parameters: number;
      readonly norm: number;
      readonly examples: number;
      readonly validationLoss: number;
      readonly bits: number;
    }
  | { readonly kind: string; readonly bytes: number };

export interface DisclosedMessage {
  readonly seq: number;
  readonly round: number | null;
  readonly type: string;
  /** Null when the site kept no copy (audit.keepPlaintext off), or it did not decode. */
  readonly disclosed: Disclosure | null;
  readonly problem: string | null;
}

/** Every sent result of an egress log at `logPath`, with what its kept copy disclosed. */
export function disclosures(logPath: string, entries: readonly AuditEntry[]): DisclosedMessage[] {
  return entries
    .filter((e) => e.log === 'egress' && e.outcome === 'sent' && e.plaintextSha256 !== null)
    .map((e) => {
      const bytes = keptPlaintext(logPath, e);
      const base = { seq: e.seq, round: e.round, type: e.type };
      if (!bytes) return { ...base, disclosed: null, problem: 'no kept copy' };
      try {
        return {
          ...base,
          disclosed: disclose(decodeClientPayload(bytes), bytes.length),
          problem: null,
        };
      } catch (error) {
        return {
          ...base,
          disclosed: null,
          problem: `does not decode: ${(error as Error).message}`,
        };
      }
    });
}

export function disclose(payload: ClientPayload, bytes: number): Disclosure {
  if (payload.kind === 'sketch')
    return {
      kind: 'sketch',
      rows: payload.rows,
      categorical: payload.categorical.map((f) => ({
        field: f.field,
        values: Object.fromEntries(f.values.map((v, i) => [v, f.counts[i] ?? 0])),
      })),
      numeric: payload.numeric.map((f) => ({ field: f.field, bins: nonEmpty(f.counts) })),
    };
  if (payload.kind === 'histogram')
    return {
      kind: 'histogram',
      modelVersion: payload.modelVersion,
      flows: payload.flows,
      bins: nonEmpty(payload.counts),
    };
  if (payload.kind === 'delta') {
    let squares = 0;
    for (const v of payload.delta) squares += v * v;
    return {
      kind: 'delta',
      modelVersion: payload.modelVersion,
      parameters: payload.delta.length,
      norm: Math.sqrt(squares),
      examples: payload.examples,
      validationLoss: payload.validationLoss,
      bits: payload.quantized?.bits ?? 32,
    };
  }
  return { kind: payload.kind, bytes };
}

function nonEmpty(counts: readonly number[]): Record<string, number> {
  const bins: Record<string, number> = {};
  counts.forEach((count, i) => {
    if (count > 0) bins[String(i)] = count;
  });
  return bins;
}

/**
 * A message as text: one line, or for a sketch one line more per field (up to `maxValues`
 * values each, most frequent first; the JSON has every value).
 */
export function disclosureText(message: DisclosedMessage, maxValues = 12): string {
  const head = `seq ${message.seq} round ${message.round ?? '-'} ${message.type}: `;
  const d = message.disclosed;
  if (!d) return `${head}${message.problem}`;
  if (d.kind === 'sketch' && 'categorical' in d) {
    const width = Math.max(0, ...[...d.categorical, ...d.numeric].map((f) => f.field.length));
    const fields = d.categorical.map((f) => {
      const pairs = Object.entries(f.values).sort((a, b) => b[1] - a[1]);
      const shown = pairs.slice(0, maxValues).map(([v, n]) => `${v} ${n}`);
      const more = pairs.length > maxValues ? `, and ${pairs.length - maxValues} more` : '';
      return `    ${f.field.padEnd(width)}  ${shown.join(', ')}${more}`;
    });
    const numeric = d.numeric.map(
      (f) =>
        `    ${f.field.padEnd(width)}  counts in ${Object.keys(f.bins).length} bins of the published log grid`,
    );
    return [`${head}${d.rows} rows; each field's values and counts:`, ...fields, ...numeric].join(
      '\n',
    );
  }
  if (d.kind === 'histogram' && 'bins' in d)
    return `${head}model v${d.modelVersion}, ${d.flows} flows in ${Object.keys(d.bins).length} non-empty score bins`;
  if (d.kind === 'delta' && 'norm' in d)
    return `${head}model v${d.modelVersion}, ${d.parameters} parameters (${d.bits}-bit), L2 norm ${d.norm.toPrecision(4)}, ${d.examples} examples, validation loss ${d.validationLoss.toFixed(3)}`;
  return `${head}${'bytes' in d ? d.bytes : 0} bytes (contents fixed by the protocol)`;
}
