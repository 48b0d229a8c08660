/**
 * `score --follow`: alert lines for a log as it grows, file after file as it is rotated, until
 * told to stop. Each file the path names is scored by its own pass (its lines numbered from 1);
 * with a state file, the position after every written batch is saved, and a restart on the
 * same file resumes with the next row.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FOLLOW_POLL_MS } from '../../shared/flows/follow-file.js';
import type { FlowFormat } from '../../shared/flows/formats.js';
import type { ReadOptions } from '../../shared/flows/readers.js';
import { resumePoint, saveFollowState } from './follow-state.js';
import type { LoadedModel } from './loaded-model.js';
import { type AlertRunSummary, writeAlertLines } from './write-alerts.js';

type FollowOptions = Parameters<typeof writeAlertLines>[4] & { readonly stop: AbortSignal };

export async function followAlertLines(
  loaded: LoadedModel,
  file: string,
  format: FlowFormat,
  read: ReadOptions,
  options: FollowOptions,
  outPath: string,
  statePath: string | null,
  log: (line: string) => void,
): Promise<AlertRunSummary> {
  const total: Totals = { rowsScored: 0, badRows: 0, seconds: 0, alerts: 0 };
  const { stop } = options;
  const append = outPath !== '-';
  const path = resolve(file);
  // After each written batch, where in the file of this inode the next row is.
  const savingFor = (inode: number) =>
    statePath === null
      ? undefined
      : (rows: number) => saveFollowState(statePath, { file: path, inode, rows });
  let first = true;
  while (!stop.aborted) {
    const inode = await inodeWhenPresent(file, stop);
    if (inode === null) break;
    let skipRows = 0;
    if (first && statePath !== null) {
      const resumed = resumePoint(statePath, file);
      if (resumed.warning) log(`warning: ${resumed.warning}`);
      const { rotated } = resumed;
      if (rotated !== undefined) {
        log(`${file} was rotated while stopped: scoring the rest of ${rotated.path} first`);
        const onWritten = savingFor(rotated.inode);
        const rest = { ...options, skipRows: resumed.skipRows, append, onWritten };
        add(total, await writeAlertLines(loaded, [rotated.path], format, read, rest, outPath));
      } else {
        if (resumed.skipRows > 0) log(`resuming ${file} after row ${resumed.skipRows}`);
        skipRows = resumed.skipRows;
      }
    }
    first = false;
    const onWritten = savingFor(inode);
    const pass = { ...options, follow: true, skipRows, append, onWritten };
    add(total, await writeAlertLines(loaded, [file], format, read, pass, outPath));
    if (!stop.aborted) log(`${file} was rotated: following the file it names now`);
  }
  return total;
}

type Totals = { -readonly [K in keyof AlertRunSummary]: AlertRunSummary[K] };

function add(total: Totals, pass: AlertRunSummary): void {
  total.rowsScored += pass.rowsScored;
  total.badRows += pass.badRows;
  total.alerts += pass.alerts;
  total.seconds += pass.seconds;
}

/** The inode of `file` once it exists (a rotation may leave the path empty a moment); null if stopped. */
async function inodeWhenPresent(file: string, stop: AbortSignal): Promise<number | null> {
  while (!stop.aborted) {
    try {
      return statSync(file).ino;
    } catch {
      await sleep(FOLLOW_POLL_MS);
    }
  }
  return null;
}
