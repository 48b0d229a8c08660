/**
 * Mapping files for generic CSV flows: which header columns are model fields of which kind, and
 * which one is the label. Validated strictly so a typo fails at start-up, not as odd results.
 */
import { readFile } from 'node:fs/promises';
import { type ColumnRole, resolveColumns } from './columns.js';
import { CONTEXT_KEYS, type ContextColumns, type ContextKey } from './flow-context.js';
import {
  FlowFormatError,
  type FlowSchema,
  type ModelField,
  NUMERIC_KINDS,
  type NumericKind,
} from './schema.js';

export type CsvMappedField =
  | { column: string; kind: 'categorical' }
  | { column: string; kind: 'numeric'; numeric: NumericKind };

/** How the header columns of a CSV file map to model fields; unmapped columns are ignored. */
export interface CsvMapping {
  fields: CsvMappedField[];
  /** Column holding the ground-truth label, if any. */
  label?: string;
  /** One character; `,` when absent. */
  delimiter?: string;
  /**
   * Columns holding each flow's timestamp, uid, addresses and ports (see FlowContext): carried
   * beside the model fields for traffic features and alerts, never model inputs themselves.
   */
  context?: ContextColumns;
  /** The file has no header line: these are its columns' names, in order. */
  columns?: string[];
  /**
   * A line whose first cell is this ends the flows; what follows is not read (nfdump's
   * `Summary` trailer, for one).
   */
  endMarker?: string;
}

/** The schema of CSV files read with `mapping`: its fields, in mapping order. */
export function csvSchema(mapping: CsvMapping, name = 'csv'): FlowSchema {
  const fields = mapping.fields.map(
    (field): ModelField =>
      field.kind === 'numeric'
        ? { name: field.column, kind: 'numeric', numeric: field.numeric }
        : { name: field.column, kind: 'categorical' },
  );
  return { name, fields };
}

/**
 * Roles of the columns of a CSV header under `mapping` (header names are trimmed). Throws a
 * FlowFormatError naming a mapped column or label the header lacks.
 */
export function csvColumns(
  header: readonly string[],
  mapping: CsvMapping,
  file: string,
  line: number,
): ColumnRole[] {
  const names = header.map((name) => name.trim());
  const label = mapping.label === undefined ? undefined : { column: mapping.label, required: true };
  const roles = resolveColumns(names, csvSchema(mapping).fields, label, {
    file,
    line,
    what: 'CSV',
  });
  for (const [key, column] of Object.entries(mapping.context ?? {})) {
    if (!names.includes(column)) {
      const message = `${file}:${line}: CSV header has no column '${column}' (the mapping's context.${key}; columns: ${names.join(', ')})`;
      throw new FlowFormatError(message, file, line);
    }
  }
  return roles;
}

/**
 * Validates a mapping parsed from JSON; `source` (usually the file name) prefixes every error.
 * @example parseCsvMapping({ fields: [{ column: 'proto', kind: 'categorical' }] }, 'map.json')
 */
export function parseCsvMapping(json: unknown, source: string): CsvMapping {
  const fail = (key: string, problem: string): never => {
    throw new FlowFormatError(`${source}: ${key}: ${problem}`, source);
  };
  const top = expectObject(json, 'mapping', MAPPING_KEYS, fail);
  if (!Array.isArray(top.fields))
    return fail('fields', `expected an array, got ${describe(top.fields)}`);
  if (top.fields.length === 0) return fail('fields', 'expected at least one field');

  const columns = new Set<string>();
  const fields = top.fields.map((entry: unknown, index: number): CsvMappedField => {
    const key = `fields[${index}]`;
    const field = parseMappedField(entry, key, fail);
    if (columns.has(field.column))
      fail(`${key}.column`, `column '${field.column}' is mapped twice`);
    columns.add(field.column);
    return field;
  });

  const mapping: CsvMapping = { fields };
  if (top.label !== undefined) {
    const label = expectNonEmptyString(top.label, 'label', fail);
    if (columns.has(label)) fail('label', `column '${label}' is also mapped as a field`);
    mapping.label = label;
  }
  if (top.delimiter !== undefined) {
    const delimiter = expectNonEmptyString(top.delimiter, 'delimiter', fail);
    if (delimiter.length !== 1 || '"\r\n'.includes(delimiter)) {
      fail('delimiter', `expected one character other than a quote or newline, got '${delimiter}'`);
    }
    mapping.delimiter = delimiter;
  }
  if (top.context !== undefined) mapping.context = parseContextColumns(top.context, fail);
  if (top.columns !== undefined) mapping.columns = parseColumnNames(top.columns, fail);
  if (top.endMarker !== undefined)
    mapping.endMarker = expectNonEmptyString(top.endMarker, 'endMarker', fail);
  return mapping;
}

const MAPPING_KEYS = ['fields', 'label', 'delimiter', 'context', 'columns', 'endMarker'];

function parseColumnNames(value: unknown, fail: Fail): string[] {
  if (!Array.isArray(value) || value.length === 0)
    return fail('columns', `expected a non-empty array of column names, got ${describe(value)}`);
  const names = value.map((name, index) => expectNonEmptyString(name, `columns[${index}]`, fail));
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice !== undefined) fail('columns', `column '${twice}' is named twice`);
  return names;
}

function parseContextColumns(value: unknown, fail: Fail): ContextColumns {
  const context = expectObject(value, 'context', CONTEXT_KEYS, fail);
  const columns: ContextColumns = {};
  for (const [key, column] of Object.entries(context)) {
    columns[key as ContextKey] = expectNonEmptyString(column, `context.${key}`, fail);
  }
  return columns;
}

/** Reads and validates a JSON mapping file (see {@link parseCsvMapping}). */
export async function loadCsvMapping(path: string): Promise<CsvMapping> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FlowFormatError(
      `${path}: cannot read CSV mapping: ${(error as Error).message}`,
      path,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FlowFormatError(
      `${path}: CSV mapping is not valid JSON: ${(error as Error).message}`,
      path,
    );
  }
  return parseCsvMapping(json, path);
}

type Fail = (key: string, problem: string) => never;

function parseMappedField(entry: unknown, key: string, fail: Fail): CsvMappedField {
  const field = expectObject(entry, key, ['column', 'kind', 'numeric'], fail);
  const column = expectNonEmptyString(field.column, `${key}.column`, fail);
  if (field.kind === 'categorical') {
    if (field.numeric !== undefined)
      fail(`${key}.numeric`, 'only numeric fields take a numeric kind');
    return { column, kind: 'categorical' };
  }
  if (field.kind !== 'numeric') {
    return fail(`${key}.kind`, `expected 'categorical' or 'numeric', got ${describe(field.kind)}`);
  }
  if (!(NUMERIC_KINDS as readonly unknown[]).includes(field.numeric)) {
    const expected = NUMERIC_KINDS.map((kind) => `'${kind}'`).join(', ');
    return fail(`${key}.numeric`, `expected one of ${expected}, got ${describe(field.numeric)}`);
  }
  return { column, kind: 'numeric', numeric: field.numeric as NumericKind };
}

function expectObject(
  value: unknown,
  key: string,
  allowedKeys: readonly string[],
  fail: Fail,
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(key, `expected an object, got ${describe(value)}`);
  }
  for (const name of Object.keys(value)) {
    if (!allowedKeys.includes(name)) {
      fail(key, `unknown key '${name}' (expected ${allowedKeys.join(', ')})`);
    }
  }
  return value as Record<string, unknown>;
}

function expectNonEmptyString(value: unknown, key: string, fail: Fail): string {
  if (typeof value !== 'string' || value.length === 0) {
    return fail(key, `expected a non-empty string, got ${describe(value)}`);
  }
  return value;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  return JSON.stringify(value);
}
