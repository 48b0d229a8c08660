/**
 * JSON-lines files (Zeek with LogAscii::use_json=T, Suricata's eve.json): the non-blank lines
 * with their physical line numbers, each parsed as one object or told why it is not one.
 */
import { createInterface } from 'node:readline';
import type { BadRowCounter } from './bad-rows.js';
import { fileBytes } from './file-bytes.js';
import { fileError } from './flow-file.js';
import { isRowIssue } from './row-decoder.js';
import type { FlowRow, RowIssue } from './schema.js';

const READ_CHUNK_BYTES = 256 * 1024;
const BYTE_ORDER_MARK = 0xfeff;

/** The non-blank lines of `file` with their 1-based line numbers. */
export async function* numberedLines(file: string): AsyncGenerator<{ text: string; line: number }> {
  const input = fileBytes(file, { encoding: 'utf8', highWaterMark: READ_CHUNK_BYTES });
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      const clean = line === 1 && text.charCodeAt(0) === BYTE_ORDER_MARK ? text.slice(1) : text;
      if (clean.trim().length > 0) yield { text: clean, line };
    }
  } catch (error) {
    throw fileError(file, error);
  } finally {
    lines.close();
    input.destroy();
  }
}

/** The object on a line, or why the line is not one. */
export function parseObject(text: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `invalid JSON: ${(error as Error).message}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `expected a JSON object, got ${preview(value)}`;
  }
  return value as Record<string, unknown>;
}

/** A value as a short text for a message (at most 40 characters and an ellipsis). */
export function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

/**
 * The rows `decode` makes of `file`'s lines: malformed ones (a RowIssue) are counted and
 * reported through `counter`, lines that are not flows (null) are passed over.
 */
export async function* decodedRows(
  file: string,
  counter: BadRowCounter,
  decode: (text: string, line: number) => FlowRow | RowIssue | null,
): AsyncGenerator<FlowRow> {
  for await (const { text, line } of numberedLines(file)) {
    const item = decode(text, line);
    if (item === null) continue;
    if (isRowIssue(item)) {
      counter.bad(item);
    } else {
      counter.good();
      yield item;
    }
  }
  counter.finish();
}
