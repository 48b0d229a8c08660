/**
 * `fedflow score --follow` against a log that grows: rows of a synthetic conn.log appended at a
 * fixed rate (50,000 flows a second, in slices every 100 ms, as a busy Zeek writes), and the
 * time from each slice's append until its alert lines are all in the output; then slow traffic
 * (one flow every half second), where an unfilled batch must still go within a second. The
 * scorer is the real program in its own process, as a site runs it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  appendFileSync,
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { writeSyntheticConnLog } from '../shared/flows/synth/index.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'fedflow.js');
const SLICE_MS = 100;

export interface FollowBenchOptions {
  readonly flowsPerSecond: number;
  readonly seconds: number;
  /** Each run appends the same rows to a fresh log followed by a fresh scorer. */
  readonly runs: number;
}

export async function runFollow(
  options: FollowBenchOptions,
  log: (line: string) => void,
): Promise<object> {
  const work = mkdtempSync(join(tmpdir(), 'fedflow-followbench-'));
  try {
    const source = join(work, 'source.log');
    const total = options.flowsPerSecond * options.seconds;
    await writeSyntheticConnLog(source, { profile: 'web', flows: 20_000 + total + 10, seed: 7 });
    const lines = readFileSync(source, 'utf8').split('\n');
    const header = lines.filter((l) => l.startsWith('#') && !l.startsWith('#close'));
    const rows = lines.filter((l) => l !== '' && !l.startsWith('#'));
    const training = join(work, 'train.log');
    writeFileSync(training, `${[...header, ...rows.slice(0, 20_000)].join('\n')}\n`);
    await cli([
      'train',
      '--data',
      training,
      '--format',
      'zeek',
      '--epochs',
      '2',
      '--out',
      join(work, 'model'),
    ]);
    const stream = rows.slice(20_000);

    const fast = [];
    const slow = [];
    for (let run = 1; run <= options.runs; run++) {
      const f = await measure(work, header, stream.slice(0, total), options.flowsPerSecond);
      log(
        `follow run ${run}: ${options.flowsPerSecond} flows/s appended for ${options.seconds} s: slice latency median ${f.medianMs} ms, max ${f.maxMs} ms; all ${total} scored ${f.drainMs} ms after the last append`,
      );
      const s = await measure(work, header, stream.slice(total, total + 10), 2);
      log(`follow run ${run}: 2 flows/s: latency median ${s.medianMs} ms, max ${s.maxMs} ms`);
      fast.push(f);
      slow.push(s);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
    return {
      protocol: `score --follow --out FILE on a Zeek conn.log to which synthetic rows are appended every ${SLICE_MS} ms; latency = from a slice's append until its last alert line is in the output; ${options.runs} runs`,
      targets: { flowsPerSecond: 50_000, alertWithinMs: 1000 },
      fast: {
        flowsPerSecond: options.flowsPerSecond,
        seconds: options.seconds,
        medianOfRunMediansMs: median(fast.map((r) => r.medianMs)),
        medianOfRunMaximaMs: median(fast.map((r) => r.maxMs)),
        runs: fast,
      },
      slow: {
        flowsPerSecond: 2,
        medianOfRunMediansMs: median(slow.map((r) => r.medianMs)),
        medianOfRunMaximaMs: median(slow.map((r) => r.maxMs)),
        runs: slow,
      },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Appends `rows` at `perSecond` to a fresh log followed by the scorer; latencies of the slices. */
async function measure(work: string, header: string[], rows: string[], perSecond: number) {
  const logFile = join(work, `conn-${perSecond}.log`);
  const alerts = join(work, `alerts-${perSecond}.jsonl`);
  writeFileSync(logFile, `${header.join('\n')}\n`);
  writeFileSync(alerts, '');
  const scorer = spawn(process.execPath, [
    CLI,
    ...['score', '--model', join(work, 'model'), '--data', logFile, '--format', 'zeek'],
    ...['--follow', '--out', alerts],
  ]);
  const exited = once(scorer, 'close');
  const output = new LineCounter(alerts);
  try {
    // The scorer is ready once a first flow went through it.
    appendFileSync(logFile, `${rows[0]}\n`);
    while (output.count() < 1) await alive(scorer);
    const perSlice = Math.max(1, Math.round((perSecond * SLICE_MS) / 1000));
    const slices: { end: number; appendedAt: number; doneAt: number | null }[] = [];
    // Watches the output while the rows are appended: when each slice's last line arrives.
    let appending = true;
    const watcher = (async () => {
      let next = 0;
      while (appending || next < slices.length) {
        const lines = output.count();
        const now = performance.now();
        while (next < slices.length && slices[next]!.end <= lines) slices[next++]!.doneAt = now;
        await alive(scorer);
      }
    })();
    const started = performance.now();
    for (let at = 1, k = 1; at < rows.length; at += perSlice, k++) {
      const slice = rows.slice(at, at + perSlice);
      appendFileSync(logFile, `${slice.join('\n')}\n`);
      slices.push({ end: at + slice.length, appendedAt: performance.now(), doneAt: null });
      const due = started + (k * perSlice * 1000) / perSecond;
      await sleep(Math.max(0, due - performance.now()));
    }
    appending = false;
    await watcher;
    const latencies = slices.map((s) => s.doneAt! - s.appendedAt);
    const lastAppend = slices.at(-1)!.appendedAt;
    const appendSeconds = (lastAppend - started) / 1000;
    return {
      ...spread(latencies),
      drainMs: Math.round(slices.at(-1)!.doneAt! - lastAppend),
      flows: rows.length,
      appendedFlowsPerSecond: Math.round((rows.length - 1) / Math.max(appendSeconds, 1e-3)),
    };
  } finally {
    scorer.kill('SIGTERM');
    await exited;
    output.close();
  }
}

/** A short wait, failing when the scorer has ended (it runs until told to stop). */
async function alive(scorer: ChildProcess): Promise<void> {
  if (scorer.exitCode !== null) throw new Error(`the scorer ended (exit ${scorer.exitCode})`);
  await sleep(5);
}

/** Lines of a file that grows, counted as they come (only new bytes are read). */
class LineCounter {
  private readonly fd: number;
  private position = 0;
  private lines = 0;
  private readonly buffer = Buffer.alloc(1 << 20);

  constructor(file: string) {
    this.fd = openSync(file, 'r');
  }

  count(): number {
    for (;;) {
      const read = readSync(this.fd, this.buffer, 0, this.buffer.length, this.position);
      if (read === 0) return this.lines;
      this.position += read;
      const bytes = this.buffer.subarray(0, read);
      for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) this.lines++;
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Median, 95th percentile and largest of the slices' latencies, in whole milliseconds. */
function spread(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    medianMs: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
    p95Ms: Math.round(sorted[Math.floor(sorted.length * 0.95)] ?? 0),
    maxMs: Math.round(sorted.at(-1) ?? 0),
  };
}

async function cli(args: string[]): Promise<void> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  const [code] = await once(child, 'close');
  if (code !== 0) throw new Error(`fedflow ${args[0]} exited with ${code}`);
}
