/**
 * Where `score --follow --state FILE` got to: the log followed, its inode (which file it was,
 * since a rotated log keeps its name for a new file), and how many of its rows were scored
 * and written. Saved after every batch of alert lines is written, so a restart resumes with
 * the next row: none scored twice, none skipped, as long as the log was not rotated meanwhile.
 */
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface FollowState {
  readonly file: string;
  readonly inode: number;
  readonly rows: number;
}

/**
 * Where to start following `file` given the state saved at `statePath` (none: the start).
 * When the log was rotated while scoring was stopped, `rotated` is the file it was renamed to
 * (found by its inode beside the log), whose rows after `skipRows` come first.
 */
export function resumePoint(
  statePath: string,
  file: string,
): { skipRows: number; warning: string | null; rotated?: { path: string; inode: number } } {
  const saved = readFollowState(statePath);
  if (saved === null) return { skipRows: 0, warning: null };
  const path = resolve(file);
  if (saved.file !== path)
    throw new Error(
      `${statePath}: this state follows ${saved.file}, not ${path}; give another --state file`,
    );
  if (statSync(path).ino === saved.inode) return { skipRows: saved.rows, warning: null };
  const rotated = fileWithInode(dirname(path), saved.inode);
  if (rotated !== null)
    return { skipRows: saved.rows, warning: null, rotated: { path: rotated, inode: saved.inode } };
  return {
    skipRows: 0,
    warning: `${path} was rotated while scoring was stopped and the file it was is no longer beside it (compressed or moved): its rows after ${saved.rows} are not scored here (score that file on its own); following the new one from its start`,
  };
}

/** The regular file in `dir` with this inode, or null. */
function fileWithInode(dir: string, inode: number): string | null {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isFile() && stat.ino === inode) return path;
  }
  return null;
}

export function readFollowState(statePath: string): FollowState | null {
  let text: string;
  try {
    text = readFileSync(statePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`${statePath}: cannot read the follow state: ${(error as Error).message}`);
  }
  let state: Partial<FollowState>;
  try {
    state = JSON.parse(text) as Partial<FollowState>;
  } catch (error) {
    throw new Error(`${statePath}: the follow state is not JSON: ${(error as Error).message}`);
  }
  const whole = (n: unknown) => Number.isInteger(n) && (n as number) >= 0;
  if (typeof state.file !== 'string' || !whole(state.inode) || !whole(state.rows))
    throw new Error(
      `${statePath}: not a follow state (expected {"file": path, "inode": n, "rows": n}); remove it to start from the beginning`,
    );
  return state as FollowState;
}

/** Replaces the state file whole (a temp file renamed over it): a crash leaves one or the other. */
export function saveFollowState(statePath: string, state: FollowState): void {
  const temp = `${statePath}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state)}\n`);
  renameSync(temp, statePath);
}
