/** Small flow files written to a temporary folder for the reader tests, and helpers to read them back. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NSL_KDD_COLUMNS } from '../../../shared/flows/builtin-schemas.js';
import type { FlowSource } from '../../../shared/flows/readers.js';
import type { FlowRow, FlowSchema, RowIssue } from '../../../shared/flows/schema.js';

/** A temporary folder for one test file's fixtures; `remove()` in `after`. */
export class FixtureDir {
  readonly path = mkdtempSync(path.join(os.tmpdir(), 'fedflow-flows-'));

  write(name: string, text: string | Buffer): string {
    const file = path.join(this.path, name);
    writeFileSync(file, text);
    return file;
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** Every row of a source, in order. */
export async function readAll(source: FlowSource): Promise<FlowRow[]> {
  const rows: FlowRow[] = [];
  for await (const row of source.rows) rows.push(row);
  return rows;
}

/** The value of field `name` in `row`. */
export function fieldValue(
  schema: FlowSchema,
  row: FlowRow,
  name: string,
): string | number | undefined {
  const index = schema.fields.findIndex((field) => field.name === name);
  if (index < 0) throw new Error(`no field '${name}' in schema '${schema.name}'`);
  return row.values[index];
}

/** Collects the issues reported through `onBadRow`. */
export function issueLog(): { issues: RowIssue[]; onBadRow: (issue: RowIssue) => void } {
  const issues: RowIssue[] = [];
  return { issues, onBadRow: (issue) => issues.push(issue) };
}

// A real NSL-KDD training row (normal ftp_data flow).
const KDD_ROW =
  '0,tcp,ftp_data,SF,491,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,2,2,0.00,0.00,0.00,0.00,1.00,0.00,0.00,' +
  '150,25,0.17,0.03,0.17,0.00,0.00,0.00,0.05,0.00,normal,20';
const KDD_COLUMN_NAMES = NSL_KDD_COLUMNS.columns.map((column) => column.name);

/** One NSL-KDD line with some columns replaced, e.g. `kddLine({ src_bytes: 'abc' })`. */
export function kddLine(overrides: Record<string, string> = {}): string {
  const cells = KDD_ROW.split(',');
  for (const [name, value] of Object.entries(overrides)) {
    const index = KDD_COLUMN_NAMES.indexOf(name);
    if (index < 0) throw new Error(`no NSL-KDD column '${name}'`);
    cells[index] = value;
  }
  return cells.join(',');
}

/** `count` NSL-KDD lines, newline-terminated. */
export function kddLines(count: number, overrides: Record<string, string> = {}): string {
  return `${Array.from({ length: count }, () => kddLine(overrides)).join('\n')}\n`;
}
