/**
 * Progress of a pass over flow rows (reading, scoring, evaluating): a live count with rows/s
 * on a terminal. The total is not known ahead (files are streamed, may be gzipped or a pipe),
 * so the bar counts rather than fills; the command logs the totals when the pass ends. Where
 * no bar is drawn (a log file, a service), a long pass logs a progress line now and then.
 */
import type { Logger } from 'pino';
import { processLogger } from '../logging.js';
import { type BarTerminal, stderrTerminal } from './terminal.js';

export interface RowsProgress {
  /** Rows done so far in this pass. */
  update(rows: number): void;
  /** Removes the bar (the command logs what the pass did). */
  stop(): void;
}

export interface RowsProgressOptions {
  readonly terminal?: BarTerminal;
  readonly log?: Logger;
  /** Without a bar, a pass logs where it is at most this often (default 30 s). */
  readonly logEverySeconds?: number;
}

/**
 * @example const progress = rowsProgress('scoring'); progress.update(8192); progress.stop();
 */
export function rowsProgress(
  what: string,
  { terminal = stderrTerminal, log, logEverySeconds = 30 }: RowsProgressOptions = {},
): RowsProgress {
  const started = performance.now();
  let bar: ReturnType<typeof terminal.startBar> = null;
  let drawn = false;
  let logged = 0;
  return {
    update(rows) {
      if (!drawn) {
        drawn = true;
        bar = terminal.startBar(`${what} {rows} rows | {rate} rows/s | {duration}s`, 0, {
          rows: 0,
          rate: '-',
        });
      }
      const seconds = (performance.now() - started) / 1000;
      const rate = seconds > 0 ? Math.round(rows / seconds).toLocaleString('en-US') : '-';
      if (bar) {
        bar.update(rows, { rows: rows.toLocaleString('en-US'), rate });
      } else if (seconds - logged >= logEverySeconds) {
        logged = seconds;
        (log ?? processLogger()).info(
          `${what}: ${rows.toLocaleString('en-US')} rows so far, ${rate} rows/s`,
        );
      }
    },
    stop() {
      if (bar) terminal.stopBar(bar);
      bar = null;
    },
  };
}
