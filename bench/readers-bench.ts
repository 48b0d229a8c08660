/**
 * Reader throughput: Zeek TSV (IoT-23 conn.logs) and NSL-KDD rows per second, from the file to
 * the encoded table the pipeline builds (no derived fields: the readers alone), and to rows
 * alone. Optionally against a build of another revision (`--baseline <its dist dir>`), the
 * two run in turn so that the machine's drift falls on both alike.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fitEncoder } from '../shared/encoding/fit-encoder.js';
import * as encoder from '../shared/encoding/flow-encoder.js';
import * as table from '../shared/encoding/flow-table.js';
import * as sketch from '../shared/encoding/sketch.js';
import type { FlowFormat } from '../shared/flows/formats.js';
import * as pipeline from '../shared/flows/pipeline.js';
import * as readers from '../shared/flows/readers.js';
import { median } from './stats.js';

/** The modules a reader run needs, from this build or another one. */
interface Build {
  readonly readers: typeof readers;
  readonly pipeline: typeof pipeline;
  readonly encoder: typeof encoder;
  readonly table: typeof table;
  readonly sketch: typeof sketch;
}

const THIS_BUILD: Build = { readers, pipeline, encoder, table, sketch };

async function loadBuild(dist: string): Promise<Build> {
  const load = (path: string) => import(pathToFileURL(resolve(dist, path)).href);
  return {
    readers: await load('shared/flows/readers.js'),
    pipeline: await load('shared/flows/pipeline.js'),
    encoder: await load('shared/encoding/flow-encoder.js'),
    table: await load('shared/encoding/flow-table.js'),
    sketch: await load('shared/encoding/sketch.js'),
  };
}

interface Input {
  readonly name: string;
  readonly files: string[];
  readonly format: FlowFormat;
}

/** Rows per second of one timed read, by the wall clock and by this process's CPU time. */
interface Rate {
  readonly wall: number;
  readonly cpu: number;
}

/** Times `read` (which returns the rows it read) by the wall clock and by CPU time. */
async function timed(read: () => Promise<number>): Promise<Rate> {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const rows = await read();
  const used = process.cpuUsage(cpu);
  return {
    wall: rows / ((performance.now() - wall) / 1000),
    cpu: rows / ((used.user + used.system) / 1e6),
  };
}

/** Rows per second reading `input` to rows, and to an encoded table. */
async function timeRead(build: Build, input: Input): Promise<{ rows: Rate; encode: Rate }> {
  const selection = { files: input.files, format: input.format, onlyLabel: null, read: {} };
  const fitted = await build.pipeline.openPipeline({ ...selection, trafficFeatures: false });
  const sketched = new build.sketch.EncoderSketch(fitted.schema.fields);
  for await (const row of fitted.rows) sketched.add(row);
  const flowEncoder = new build.encoder.FlowEncoder(fitEncoder(sketched));

  const rows = await timed(async () => {
    const source = await build.readers.readFlowFiles(input.files, input.format);
    let count = 0;
    for await (const _ of source.rows) count++;
    return count;
  });
  const encode = await timed(async () => {
    const flows = await build.pipeline.openPipeline({ ...selection, trafficFeatures: false });
    const encoded = new build.table.FlowTable(flowEncoder.fieldCount, 4096);
    for await (const row of flows.rows) {
      const at = encoded.appendRow(row.label);
      flowEncoder.encodeInto(row, encoded.codes, at);
    }
    return encoded.length;
  });
  return { rows, encode };
}

/** A Zeek log of `file`'s header and its records `times` over (its #close line once, last). */
function repeatZeek(file: string, times: number, out: string): string {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  const header = lines.filter((line) => line.startsWith('#') && !line.startsWith('#close'));
  const records = lines.filter((line) => !line.startsWith('#'));
  const body = `${records.join('\n')}\n`.repeat(times);
  writeFileSync(out, `${header.join('\n')}\n${body}#close\t2019-01-01-00-00-00\n`);
  return out;
}

/** Medians of a build's runs: rows per second by the wall clock and by CPU time. */
function summary(rows: Rate[], encode: Rate[]) {
  const of = (rates: Rate[], key: keyof Rate) => Math.round(median(rates.map((r) => r[key])));
  const round = (rates: Rate[]) =>
    rates.map((r) => ({ wall: Math.round(r.wall), cpu: Math.round(r.cpu) }));
  return {
    rowsPerSecond: of(rows, 'wall'),
    rowsPerCpuSecond: of(rows, 'cpu'),
    toTableRowsPerSecond: of(encode, 'wall'),
    toTableRowsPerCpuSecond: of(encode, 'cpu'),
    runs: { rows: round(rows), encode: round(encode) },
  };
}

export async function runReaders(
  iot23: string,
  nslKdd: string,
  options: { runs: number; baseline?: string },
  log: (line: string) => void,
) {
  const work = mkdtempSync(join(tmpdir(), 'fedflow-readers-'));
  try {
    const kddTest = readFileSync(join(nslKdd, 'KDDTest+.txt'));
    const kddRepeated = join(work, 'KDDTest+x10.txt');
    writeFileSync(kddRepeated, Buffer.concat(Array.from({ length: 10 }, () => kddTest)));
    const conn = readdirSync(iot23).filter((name) => name.endsWith('.conn.log'));
    const inputs: Input[] = [
      {
        name: 'iot23-hakai-x20',
        files: [repeatZeek(join(iot23, 'malware-8-1-hakai.conn.log'), 20, join(work, 'x20.log'))],
        format: 'zeek',
      },
      { name: 'iot23-all', files: conn.map((name) => join(iot23, name)), format: 'zeek' },
      { name: 'nsl-kdd-test-x10', files: [kddRepeated], format: 'nsl-kdd' },
      {
        name: 'nsl-kdd-train-20',
        files: [join(nslKdd, 'KDDTrain+_20Percent.txt')],
        format: 'nsl-kdd',
      },
    ];
    const builds: [string, Build][] = [['current', THIS_BUILD]];
    if (options.baseline) builds.push(['baseline', await loadBuild(options.baseline)]);
    const results = [];
    for (const input of inputs) {
      const runs: Record<string, { rows: Rate[]; encode: Rate[] }> = {};
      for (const [name] of builds) runs[name] = { rows: [], encode: [] };
      for (let run = 0; run < options.runs; run++) {
        for (const [name, build] of builds) {
          const { rows, encode } = await timeRead(build, input);
          runs[name]!.rows.push(rows);
          runs[name]!.encode.push(encode);
        }
      }
      const medians = Object.fromEntries(
        Object.entries(runs).map(([name, r]) => [name, summary(r.rows, r.encode)]),
      );
      const shown = Object.entries(medians).map(
        ([name, m]) =>
          `${name} rows ${m.rowsPerSecond} (cpu ${m.rowsPerCpuSecond}), to table ${m.toTableRowsPerSecond} (cpu ${m.toTableRowsPerCpuSecond})`,
      );
      log(`readers: ${input.name}: ${shown.join('; ')}`);
      results.push({ input: input.name, format: input.format, ...medians });
    }
    return { runsEach: options.runs, baseline: options.baseline ?? null, results };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
