/** Test helpers: write a synthetic conn.log to a temp dir and read it back as rows by column. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type SynthOptions, writeSyntheticConnLog } from '../../../shared/flows/synth/index.js';

export interface ConnLog {
  readonly text: string;
  /** `#` lines, by directive (`#fields` -> its values after the tab). */
  readonly directives: ReadonlyMap<string, string[]>;
  readonly fields: readonly string[];
  readonly rows: readonly string[][];
}

/** A fresh temp dir per test file; `cleanUp` removes it. */
export function makeTempDir(): { dir: string; cleanUp: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedflow-'));
  return { dir, cleanUp: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function parseConnLog(text: string): ConnLog {
  const directives = new Map<string, string[]>();
  const rows: string[][] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      // `#separator \x09` is the one directive separated by a space (the tab is not known yet).
      const [name, ...values] = line.startsWith('#separator ') ? line.split(' ') : line.split('\t');
      directives.set(name!, values);
    } else {
      rows.push(line.split('\t'));
    }
  }
  return { text, directives, fields: directives.get('#fields') ?? [], rows };
}

export async function writeAndRead(dir: string, name: string, options: SynthOptions) {
  const file = path.join(dir, name);
  const summary = await writeSyntheticConnLog(file, options);
  return { file, summary, log: parseConnLog(fs.readFileSync(file, 'utf8')) };
}

/** Row accessor by column name, e.g. `column(log, 'proto')(row)`. */
export function column(log: ConnLog, name: string): (row: readonly string[]) => string {
  const index = log.fields.indexOf(name);
  if (index < 0) throw new Error(`no column '${name}' in ${log.fields.join(',')}`);
  return (row) => row[index]!;
}

/** Numeric value of a count/interval column, with Zeek's unset `-` read as 0. */
export function numberIn(log: ConnLog, name: string): (row: readonly string[]) => number {
  const get = column(log, name);
  return (row) => {
    const text = get(row);
    return text === '-' ? 0 : Number(text);
  };
}
