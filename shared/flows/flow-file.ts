/**
 * Checks every reader makes before streaming: the file exists, is readable and has content.
 * Failures become FlowFormatErrors that say which file and what is wrong with it.
 */
import { fileBytes, isGzipError } from './file-bytes.js';
import { FlowFormatError } from './schema.js';

const PROBE_BYTES = 64 * 1024;

/**
 * The first byte of `file`'s content (decompressed, for a gzip file) that is not whitespace or
 * a byte-order mark (readers sniff the format from it). Throws FlowFormatError when the file is
 * missing, unreadable, or blank.
 */
export async function firstContentByte(file: string): Promise<number> {
  const input = fileBytes(file, { highWaterMark: PROBE_BYTES });
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      for (let index = 0; index < chunk.length; index++) {
        if (!isBlankByte(chunk[index]!)) return chunk[index]!;
      }
    }
  } catch (error) {
    throw fileError(file, error);
  } finally {
    input.destroy();
  }
  throw new FlowFormatError(`${file}: file is empty`, file);
}

/** A FlowFormatError for an error raised while reading `file` (passed through if it is one). */
export function fileError(file: string, error: unknown): FlowFormatError {
  if (error instanceof FlowFormatError) return error;
  if (isGzipError(error))
    return new FlowFormatError(
      `${file}: gzip data is cut short or corrupt (${(error as Error).message}); the rows before it were read`,
      file,
    );
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
