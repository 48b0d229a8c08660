/**
 * Output files of the commands (`score --out`, `synth --out`, `--json` reports): checked
 * before any work, written to a temp file beside the target and renamed over it only when
 * complete, so a failed command never truncates or half-writes what was there.
 */
import { once } from 'node:events';
import type { WriteStream } from 'node:fs';
import {
  accessSync,
  closeSync,
  constants,
  createWriteStream,
  existsSync,
  fdatasync,
  fsyncSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { fsyncDirectory, writeFileDurably } from './atomic-write.js';

/** Thrown before any work when an output path cannot be written; its message is one line. */
export class OutputPathError extends Error {
  constructor(path: string, reason: string) {
    super(`cannot write ${path}: ${reason}`);
    this.name = 'OutputPathError';
  }
}

/**
 * What a command writes, told by the start of a file: an existing non-empty file that does
 * not start so is someone else's and is never replaced.
 */
export interface OutputKind {
  /** e.g. 'a fedflow alerts file (JSON lines)'. */
  readonly what: string;
  readonly looksLike: (head: string) => boolean;
}

/** A JSON object whose first member is `key` (how each report starts): not any JSON file. */
export const jsonReport = (what: string, key: string): OutputKind => ({
  what: `${what} (a JSON object starting with "${key}")`,
  looksLike: (head) => new RegExp(`^\\s*\\{\\s*"${key}"\\s*:`).test(head),
});
export const ALERT_LINES: OutputKind = {
  what: 'a fedflow alerts file (JSON lines starting {"row": or, in ECS, {"@timestamp":)',
  looksLike: (head) => head.startsWith('{"row":') || head.startsWith('{"@timestamp":'),
};
export const SVG_CHART: OutputKind = {
  what: 'an SVG chart',
  looksLike: (head) => /^\s*(<\?xml[^>]*>\s*)?<svg/.test(head),
};
export const ZEEK_LOG: OutputKind = {
  what: 'a Zeek log (starting #separator)',
  looksLike: (head) => head.startsWith('#separator'),
};

/** Throws OutputPathError unless `path` can receive a file (of `kind`, when it exists). */
export function checkOutputFile(path: string, kind?: OutputKind): void {
  const target = resolve(path);
  const dir = dirname(target);
  if (!existsSync(dir)) throw new OutputPathError(path, `directory ${dir} does not exist`);
  if (!statSync(dir).isDirectory()) throw new OutputPathError(path, `${dir} is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new OutputPathError(path, `directory ${dir} is not writable`);
  }
  if (existsSync(target) && !statSync(target).isFile())
    throw new OutputPathError(path, 'it exists and is not a regular file');
  if (kind && existsSync(target) && statSync(target).size > 0 && !kind.looksLike(head(target)))
    throw new OutputPathError(
      path,
      `it exists and is not ${kind.what}; refusing to replace it (remove it or choose another path)`,
    );
}

function head(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Writes `data` to `path` whole or not at all. */
export function writeOutputFile(path: string, data: string | Uint8Array, kind?: OutputKind): void {
  checkOutputFile(path, kind);
  writeFileDurably(path, data);
}

/**
 * Streams into a temp file beside `path` and renames it over `path` once `write` resolves;
 * if `write` fails the temp file is removed and `path` is untouched.
 */
export async function streamOutputFile<T>(
  path: string,
  write: (out: Writable) => Promise<T>,
  kind?: OutputKind,
): Promise<T> {
  checkOutputFile(path, kind);
  const target = resolve(path);
  const temp = `${target}.tmp-${process.pid}`;
  const out = createWriteStream(temp, {
    flags: 'wx',
    mode: 0o644,
    highWaterMark: QUEUED_WRITE_BYTES,
  });
  // A write error (disk full) must reject the command, not crash the process.
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => {});
  const flushing = flushAsWritten(out);
  try {
    const result = await Promise.race([write(out), failed]);
    await flushing.stop();
    out.end();
    await Promise.race([once(out, 'close'), failed]);
    // On disk before it replaces anything, as writeFileDurably does.
    const fd = openSync(temp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
    fsyncDirectory(dirname(target));
    return result;
  } catch (error) {
    await flushing.stop();
    // The file may still be opening (a command that fails at once): removing it before the
    // stream has opened and closed it would leave it behind.
    const closed = out.closed ? Promise.resolve() : once(out, 'close').catch(() => {});
    out.destroy();
    await closed;
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * How much may wait to be written before a writer is asked to wait ('drain'). With the
 * default 16 KB, `score` waited for the system to take every batch's lines (~1 MB) before
 * scoring the next: 111 waits, ~0.19 s of a 225,440-row run, with the encode worker held up
 * too. A few batches' worth of lines queue instead.
 */
const QUEUED_WRITE_BYTES = 8 << 20;

/** Bytes written between background flushes (flushAsWritten). */
const FLUSH_BYTES = 16 << 20;
const FLUSH_CHECK_MS = 50;

/**
 * Has the system write a file to disk while it is being written, one fdatasync at a time
 * (on libuv's thread pool) each FLUSH_BYTES: the fsync before the rename then has little
 * left to wait for. Writing 106 MB of alert lines, that wait was 48 ms at the end of the run,
 * with both cores otherwise idle. stop() waits for a flush under way, so the file is never
 * closed beneath it.
 */
function flushAsWritten(out: WriteStream): { stop(): Promise<void> } {
  let flushed = 0;
  let pending: Promise<void> | null = null;
  const timer = setInterval(() => {
    const { fd } = out as WriteStream & { fd: number | null };
    if (pending || typeof fd !== 'number' || out.bytesWritten - flushed < FLUSH_BYTES) return;
    flushed = out.bytesWritten;
    // A failed flush changes nothing: the fsync before the rename reports any error.
    pending = new Promise<void>((resolve) => fdatasync(fd, () => resolve())).then(() => {
      pending = null;
    });
  }, FLUSH_CHECK_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await pending;
    },
  };
}
