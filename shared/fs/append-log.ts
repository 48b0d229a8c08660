/** Append-only JSON-lines files, each line fsynced before the call returns. */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

export function appendJsonLine(path: string, value: unknown): void {
  const fd = openSync(path, 'a', 0o644);
  try {
    writeSync(fd, `${JSON.stringify(value)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
