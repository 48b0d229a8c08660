/**
 * Checks every reader makes before streaming: the file exists, is readable and has content.
 * Failures become FlowFormatErrors that say which file and what is wrong with it.
 */
import { open } from 'node:fs/promises';
import { FlowFormatError } from './schema.js';

const PROBE_BYTES = 64 * 1024;

/**
 * The first byte of `file` that is not whitespace or a byte-order mark (readers sniff the format
 * from it). Throws FlowFormatError when the file is missing, unreadable, or blank.
 */
export async function firstContentByte(file: string): Promise<number> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(file, 'r');
    const buffer = Buffer.alloc(PROBE_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, PROBE_BYTES, null);
      if (bytesRead === 0) break;
      for (let index = 0; index < bytesRead; index++) {
        if (!isBlankByte(buffer[index]!)) return buffer[index]!;
      }
    }
  } catch (error) {
    throw fileError(file, error);
  } finally {
    await handle?.close();
  }
  throw new FlowFormatError(`${file}: file is empty`, file);
}

/** A FlowFormatError for an error raised while reading `file` (passed through if it is one). */
export function fileError(file: string, error: unknown): FlowFormatError {
  if (error instanceof FlowFormatError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const problems: Record<string, string> = {
    ENOENT: 'file not found',
    EISDIR: 'is a directory, not a flow file',
    EACCES: 'permission denied',
  };
  const problem = (code && problems[code]) ?? `cannot read: ${(error as Error).message}`;
  return new FlowFormatError(`${file}: ${problem}`, file);
}

function isBlankByte(byte: number): boolean {
  // Space, tab, CR, LF, and the UTF-8 byte-order mark EF BB BF.
  return (
    byte === 32 ||
    byte === 9 ||
    byte === 13 ||
    byte === 10 ||
    byte === 0xef ||
    byte === 0xbb ||
    byte === 0xbf
  );
}
