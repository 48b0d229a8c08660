/**
 * Reader for Zeek conn.log written as JSON lines (`LogAscii::use_json=T`): one object per line,
 * keys as in `#fields` (`id.resp_p`), unset optional fields left out.
 */
import type { BadRowCounter } from './bad-rows.js';
import {
  ZEEK_CONN_ALWAYS_LOGGED,
  ZEEK_CONN_FIELDS,
  ZEEK_CONN_SCHEMA,
  ZEEK_LABEL_COLUMN,
} from './builtin-schemas.js';
import { INVALID, numberProblem, parseNonNegative } from './field-text.js';
import {
  CONTEXT_KEYS,
  contextValue,
  type FlowContext,
  isInvalid,
  ZEEK_CONTEXT_COLUMNS,
} from './flow-context.js';
import type { FormatReader } from './format-reader.js';
import { decodedRows, numberedLines, parseObject, preview } from './json-lines.js';
import { UNSET_CATEGORY } from './row-decoder.js';
import { FlowFormatError, type FlowRow, type RowIssue } from './schema.js';

/** Zeek writes unset values as `-` in TSV; JSON leaves them out, but converters may write `-`. */
const UNSET_TEXT = '-';

/** Opens a Zeek JSON conn.log: reads its first record now, to fail early on a log of another kind. */
export async function openZeekJson(file: string): Promise<FormatReader> {
  const first = await firstRecord(file);
  const missing = ZEEK_CONN_ALWAYS_LOGGED.find((key) => !(key in first.record));
  if (missing !== undefined) {
    const message = `${file}:${first.line}: the first record has no key '${missing}': not a Zeek conn.log`;
    throw new FlowFormatError(message, file, first.line);
  }
  return { schema: ZEEK_CONN_SCHEMA, rows: (counter) => zeekJsonRows(file, counter) };
}

function zeekJsonRows(file: string, counter: BadRowCounter): AsyncIterable<FlowRow> {
  const decoder = new ZeekJsonDecoder(file);
  return decodedRows(file, counter, (text, line) => decoder.decode(text, line));
}

async function firstRecord(
  file: string,
): Promise<{ record: Record<string, unknown>; line: number }> {
  for await (const { text, line } of numberedLines(file)) {
    const record = parseObject(text);
    if (typeof record === 'string') {
      throw new FlowFormatError(
        `${file}:${line}: ${record} (expected one JSON object per line)`,
        file,
        line,
      );
    }
    return { record, line };
  }
  throw new FlowFormatError(`${file}: file is empty`, file);
}

class ZeekJsonDecoder {
  private readonly required = ZEEK_CONN_FIELDS.map((field) =>
    ZEEK_CONN_ALWAYS_LOGGED.includes(field.name),
  );

  constructor(private readonly file: string) {}

  decode(text: string, line: number): FlowRow | RowIssue {
    const record = parseObject(text);
    if (typeof record === 'string') return this.issue(line, null, record);
    const values: (string | number)[] = new Array(ZEEK_CONN_FIELDS.length);
    for (let index = 0; index < ZEEK_CONN_FIELDS.length; index++) {
      const field = ZEEK_CONN_FIELDS[index]!;
      const value = record[field.name];
      if (value === undefined || value === null) {
        if (this.required[index])
          return this.issue(line, field.name, `missing key '${field.name}'`);
        values[index] = field.kind === 'categorical' ? UNSET_CATEGORY : 0;
      } else if (field.kind === 'categorical') {
        const category = categoryOf(value);
        if (category === '') return this.issue(line, field.name, categoryProblem(value));
        values[index] = category;
      } else {
        const number = numberOf(value);
        if (number === INVALID) return this.issue(line, field.name, numericProblem(value));
        values[index] = number;
      }
    }
    const context = this.context(record, line);
    if ('reason' in context) return context;
    const label = record[ZEEK_LABEL_COLUMN];
    if (label === undefined || label === null || label === UNSET_TEXT)
      return { line, values, label: null, context };
    if (typeof label !== 'string' || label.length === 0) {
      return this.issue(
        line,
        ZEEK_LABEL_COLUMN,
        `expected a non-empty string, got ${preview(label)}`,
      );
    }
    return { line, values, label, context };
  }

  /** The record's timestamp, uid, addresses and ports (JSON numbers or strings alike). */
  private context(record: Record<string, unknown>, line: number): FlowContext | RowIssue {
    const context: Record<string, string | number | null> = {};
    for (const key of CONTEXT_KEYS) {
      const name = ZEEK_CONTEXT_COLUMNS[key]!;
      const raw = record[name];
      const text = raw === undefined || raw === null || raw === UNSET_TEXT ? '' : String(raw);
      const value = contextValue(key, text);
      if (isInvalid(value)) return this.issue(line, name, value.problem);
      context[key] = value;
    }
    return context as unknown as FlowContext;
  }

  private issue(line: number, field: string | null, reason: string): RowIssue {
    return { file: this.file, line, field, reason };
  }
}

/** Zeek's JSON types for categorical fields (string, port number, bool) as a category; '' if none. */
function categoryOf(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value === '(empty)' ? UNSET_CATEGORY : value;
    case 'number':
      return String(value);
    case 'boolean':
      // As Zeek's TSV writes booleans, so TSV and JSON logs encode alike.
      return value ? 'T' : 'F';
    default:
      return '';
  }
}

function categoryProblem(value: unknown): string {
  return value === ''
    ? 'expected a non-empty value'
    : `expected a string, number or boolean, got ${preview(value)}`;
}

function numberOf(value: unknown): number {
  if (typeof value === 'number')
    return value >= 0 && value < Number.POSITIVE_INFINITY ? value : INVALID;
  if (typeof value === 'string') return value === UNSET_TEXT ? 0 : parseNonNegative(value);
  return INVALID;
}

function numericProblem(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'string') return numberProblem(String(value));
  return `expected a non-negative number, got ${preview(value)}`;
}
