/**
 * Where `score --follow --state FILE` got to: the log followed, its inode (which file it was,
 * since a rotated log keeps its name for a new file), and how many of its rows were scored
 * and written. Saved after every batch of alert lines is written, so a restart resumes with
 * the next row: none scored twice, none skipped, as long as the log was not rotated meanwhile.
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface FollowState {
  readonly file: string;
  readonly inode: number;
  readonly rows: number;
}

/** Where to start following `file` given the state saved at `statePath` (none: the start). */
export function resumePoint(
  statePath: string,
  file: string,
): { skipRows: number; warning: string | null } {
  const saved = readFollowState(statePath);
  if (saved === null) return { skipRows: 0, warning: null };
  const path = resolve(file);
  if (saved.file !== path)
    throw new Error(
      `${statePath}: this state follows ${saved.file}, not ${path}; give another --state file`,
    );
  if (statSync(path).ino === saved.inode) return { skipRows: saved.rows, warning: null };
  return {
    skipRows: 0,
    warning: `${path} was rotated while scoring was stopped: rows after ${saved.rows} of the file it was then are not scored here (score the rotated file on its own); following the new one from its start`,
  };
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

/** The state of `file` once its first `rows` rows are written. */
export function followStateOf(file: string, rows: number): FollowState {
  const path = resolve(file);
  return { file: path, inode: statSync(path).ino, rows };
}
