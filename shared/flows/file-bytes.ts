/**
 * The bytes of a flow file as its readers see them: gzip files (how Zeek rotates its logs, and
 * how most archived captures are kept) are decompressed on the way, recognised by their magic
 * bytes rather than by name, so `conn.log.gz`, a renamed archive and a plain log all just read.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

const GZIP_MAGIC = [0x1f, 0x8b];

interface ByteOptions {
  readonly highWaterMark: number;
  readonly encoding?: BufferEncoding;
}

/** A stream of `file`'s content, gunzipped when it is gzip; errors (ENOENT...) come through it. */
export function fileBytes(file: string, options: ByteOptions): Readable {
  const bytes = regularFileBytes(file, options);
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
