/**
 * A log file read as it grows (`score --follow`): at its end the reader waits for more rather
 * than ending. The read ends when the file is rotated: renamed away (how Zeek and logrotate
 * rotate; the old file is read to its end first) or truncated in place (copytruncate). Whoever
 * follows then starts again on what the path names now, so each file's lines are numbered
 * from 1 and a saved position belongs to one file (client/detect/follow-state.ts).
 */
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

/** How often a reader at the end of the file looks for more, or for a rotation. */
export const FOLLOW_POLL_MS = 100;

const followed = new Set<string>();

/** From now on, in this thread, every opening of `file` follows it (see fileBytes). */
export function followFile(file: string): void {
  followed.add(file);
}

export function isFollowed(file: string): boolean {
  return followed.has(file);
}

/** The bytes of `file` as it grows, across rotations. */
export function followedBytes(file: string, chunkBytes: number): Readable {
  return Readable.from(followChunks(file, chunkBytes), { objectMode: false });
}

async function* followChunks(file: string, chunkBytes: number): AsyncGenerator<Buffer> {
  const handle = await open(file, 'r');
  const inode = (await handle.stat()).ino;
  let position = 0;
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(chunkBytes);
      const { bytesRead } = await handle.read(buffer, 0, chunkBytes, position);
      if (bytesRead > 0) {
        position += bytesRead;
        yield buffer.subarray(0, bytesRead);
        continue;
      }
      // At the end of what is written: more may come, or the file may have been rotated.
      if (await rotated(file, inode, position)) return;
      await sleep(FOLLOW_POLL_MS);
    }
  } finally {
    await handle.close();
  }
}

/** Whether the file open as `inode`, read to `position`, is no longer what `file` names. */
export async function rotated(file: string, inode: number, position: number): Promise<boolean> {
  const now = await stat(file).catch(() => null); // null: renamed, not yet replaced
  return now === null || now.ino !== inode || now.size < position;
}
