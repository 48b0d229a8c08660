/**
 * The encoder spec: how every model field becomes a small integer code. Part of the model
 * spec, so every site that holds a model encodes flows identically.
 */
import type { NumericKind } from '../flows/schema.js';

/** Code 0 is the "other" bucket; code i >= 1 is `vocabulary[i - 1]`. */
export interface CategoricalEncoding {
  readonly name: string;
  readonly kind: 'categorical';
  readonly vocabulary: readonly string[];
}

/**
 * Code 0 is the zero/unset bin; code 1 is (0, edges[0]); code i + 1 is [edges[i - 1], edges[i]);
 * the last code is [edges[last], infinity).
 */
export interface NumericEncoding {
  readonly name: string;
  readonly kind: 'numeric';
  readonly numeric: NumericKind;
  readonly edges: readonly number[];
}

export type FieldEncoding = CategoricalEncoding | NumericEncoding;

export interface EncoderSpec {
  readonly fields: readonly FieldEncoding[];
}

/** Number of codes a field can take. */
export function cardinality(field: FieldEncoding): number {
  return field.kind === 'categorical' ? field.vocabulary.length + 1 : field.edges.length + 2;
}

/** Human-readable meaning of a code, for explanations ("[1.2e3, 4.1e3)", "other", "tcp"). */
export function describeCode(field: FieldEncoding, code: number): string {
  if (field.kind === 'categorical') return code === 0 ? '<other>' : field.vocabulary[code - 1]!;
  if (code === 0) return '0';
  const lower = code === 1 ? 0 : field.edges[code - 2]!;
  const upper = code - 1 < field.edges.length ? field.edges[code - 1]! : Infinity;
  return `${code === 1 ? '(' : '['}${formatEdge(lower)}, ${formatEdge(upper)})`;
}

function formatEdge(value: number): string {
  if (!Number.isFinite(value)) return 'inf';
  return Number(value.toPrecision(3)).toString();
}

/** Checks a parsed encoder spec (e.g. from a model directory) and says what is wrong. */
export function validateEncoderSpec(value: unknown, source: string): EncoderSpec {
  const fail = (why: string): never => {
    throw new Error(`${source}: invalid encoder spec: ${why}`);
  };
  const fields = (value as { fields?: unknown } | null)?.fields;
  if (!Array.isArray(fields) || fields.length === 0)
    return fail("'fields' must be a non-empty array");
  fields.forEach((entry: unknown, i: number) => {
    const field = (entry ?? {}) as Record<string, unknown>;
    if (typeof field.name !== 'string') fail(`fields[${i}].name must be a string`);
    if (field.kind === 'categorical') {
      const vocabulary = field.vocabulary;
      if (!Array.isArray(vocabulary) || vocabulary.some((v) => typeof v !== 'string'))
        fail(`fields[${i}].vocabulary must be an array of strings`);
    } else if (field.kind === 'numeric') {
      const edges = field.edges;
      if (!Array.isArray(edges) || edges.some((e, j) => !(e > 0) || (j > 0 && e <= edges[j - 1])))
        fail(`fields[${i}].edges must be increasing positive numbers`);
    } else {
      fail(`fields[${i}].kind must be 'categorical' or 'numeric'`);
    }
  });
  return value as EncoderSpec;
}
