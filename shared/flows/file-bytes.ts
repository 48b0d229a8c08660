/**
 * The bytes of a flow file as its readers see them. Gzip files (how Zeek rotates its logs, and
 * how most archived captures are kept) are decompressed on the way, recognised by their magic
 * bytes rather than by name. Pipes (`--data -` is /dev/stdin, a named pipe, a process
 * substitution) can be read only once, while a reader opens its file more than once (a probe
 * of the first bytes, the header, then the rows): their first bytes are kept and replayed to
 * every later opening, so scoring and local training (one read of the rows) read a pipe as
 * they read a file.
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { Socket } from 'node:net';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { followedBytes, isFollowed } from './follow-file.js';
import { FlowFormatError } from './schema.js';

const GZIP_MAGIC = [0x1f, 0x8b];

/** Bytes of a pipe kept for replay; past them the pipe is read on and cannot be opened again. */
export const PIPE_REPLAY_BYTES = 16 * 1024 * 1024;

interface ByteOptions {
  readonly highWaterMark: number;
  readonly encoding?: BufferEncoding;
}

/** A stream of `file`'s content, gunzipped when it is gzip; errors (ENOENT...) come through it. */
export function fileBytes(file: string, options: ByteOptions): Readable {
  const bytes = isFollowed(file)
    ? followedBytes(file, options.highWaterMark)
    : isPipe(file)
      ? pipeBytes(file, options)
      : regularFileBytes(file, options);
  if (options.encoding) bytes.setEncoding(options.encoding);
  return bytes;
}

function regularFileBytes(file: string, options: ByteOptions): Readable {
  const raw = createReadStream(file, { highWaterMark: options.highWaterMark });
  if (!isGzip(file)) return raw;
  const gunzip = createGunzip({ chunkSize: options.highWaterMark });
  // pipeline forwards read errors to the gunzip stream and closes the file when it is destroyed.
  pipeline(raw, gunzip, () => {});
  return gunzip;
}

/** Whether `file` starts with gzip's magic bytes (false when it cannot be read: the stream says why). */
function isGzip(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = Buffer.alloc(GZIP_MAGIC.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && startsLikeGzip(head);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const startsLikeGzip = (head: Buffer) => GZIP_MAGIC.every((byte, i) => head[i] === byte);

/** Whether `error` came from zlib: the file is gzip but not a whole or valid one. */
export function isGzipError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/** A FIFO, a character device or a socket: what cannot be read twice or from an offset. */
function isPipe(file: string): boolean {
  try {
    const stat = statSync(file);
    return !stat.isFile() && !stat.isDirectory();
  } catch {
    return false; // the read stream reports it
  }
}

const STDIN_NAMES = new Set(['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);

/** Whether `file` names standard input (`--data -` is /dev/stdin). */
export function isStdin(file: string): boolean {
  return STDIN_NAMES.has(file);
}

/** One per pipe and thread: every opening of the pipe goes through it. */
const pipes = new Map<string, OncePipe>();

function pipeBytes(file: string, options: ByteOptions): Readable {
  let pipe = pipes.get(file);
  if (pipe === undefined) {
    pipe = new OncePipe(file, options.highWaterMark);
    pipes.set(file, pipe);
  }
  return Readable.from(gunzipIfGzip(pipe.replay()), { objectMode: false });
}

/**
 * A pipe read once: its first PIPE_REPLAY_BYTES are kept, so each opening replays them and then
 * reads on where the pipe stands. Every chunk read is kept, so a reader that stopped early
 * (with a read still under way) cannot take a chunk from the next. Past the kept bytes the
 * current reader goes on alone; a later opening is refused.
 */
class OncePipe {
  private kept: Buffer[] = [];
  private keptBytes = 0;
  private keeping = true;
  private ended = false;
  private live: AsyncIterator<Buffer> | undefined;
  private reading: Promise<Buffer | null> | null = null;

  constructor(
    private readonly file: string,
    private readonly chunkBytes: number,
  ) {}

  async *replay(): AsyncGenerator<Buffer> {
    if (!this.keeping)
      throw new FlowFormatError(
        `${this.file}: a pipe is read once, and this one was read past its first ${PIPE_REPLAY_BYTES / 2 ** 20} MB already; a command that reads its flows twice (fedflow client: the encoder round's sketch, then training) needs a file`,
        this.file,
      );
    let next = 0;
    while (this.keeping) {
      if (next < this.kept.length) {
        yield this.kept[next++]!;
        continue;
      }
      if (this.ended) return;
      await this.read();
      if (this.keptBytes > PIPE_REPLAY_BYTES) this.keeping = false;
    }
    while (next < this.kept.length) yield this.kept[next++]!;
    this.kept = [];
    for (;;) {
      const chunk = await this.read();
      if (chunk === null) return;
      yield chunk;
    }
  }

  private open(): Readable {
    // Standard input may be a socket (as Node's child processes get it), which cannot be opened
    // by name. A pipe or a socket is read as a socket on its descriptor: without holding a
    // thread-pool thread, which a blocking read of fd 0 would hold until input came, so that
    // the thread reading it could not be stopped; and on the thread that asks, so the scoring
    // worker reads its input itself while the main thread scores.
    if (isStdin(this.file)) {
      const stdin = fstatSync(0);
      if (stdin.isFIFO() || stdin.isSocket())
        return new Socket({ fd: 0, readable: true, writable: false });
      return process.stdin;
    }
    return createReadStream(this.file, { highWaterMark: this.chunkBytes });
  }

  /**
   * The pipe's next chunk (kept while keeping), null at its end. One read at a time, shared by
   * whoever asks while it is under way: a reader that stopped early may have left one waiting
   * for data, and the next reader must get that chunk, not wait for another behind it.
   */
  private read(): Promise<Buffer | null> {
    this.reading ??= this.readOnce().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  private async readOnce(): Promise<Buffer | null> {
    if (this.ended) return null;
    // Never returned: a reader that stops early must leave the pipe open for the next one.
    this.live ??= this.open()[Symbol.asyncIterator]();
    const result = await this.live.next();
    if (result.done) {
      this.ended = true;
      return null;
    }
    if (this.keeping) {
      this.kept.push(result.value);
      this.keptBytes += result.value.length;
    }
    return result.value;
  }
}

/** The chunks of `raw`, gunzipped when its first bytes are gzip's magic. */
async function* gunzipIfGzip(raw: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  let head = Buffer.alloc(0);
  try {
    while (head.length < GZIP_MAGIC.length) {
      const read = await raw.next();
      if (read.done) {
        if (head.length > 0) yield head;
        return;
      }
      head = Buffer.concat([head, read.value]);
    }
    const whole = (async function* () {
      yield head;
      yield* raw;
    })();
    if (!startsLikeGzip(head)) {
      yield* whole;
      return;
    }
    const gunzip = createGunzip();
    pipeline(Readable.from(whole, { objectMode: false }), gunzip, () => {});
    yield* gunzip as AsyncIterable<Buffer>;
  } finally {
    await raw.return(undefined);
  }
}
