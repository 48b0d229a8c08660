/**
 * Progress of a pass over flow rows (reading, scoring, evaluating): a live count with rows/s
 * on a terminal. The total is not known ahead (files are streamed, may be gzipped or a pipe),
 * so the bar counts rather than fills; the command logs the totals when the pass ends.
 */
import { stderrTerminal } from './terminal.js';

export interface RowsProgress {
  /** Rows done so far in this pass. */
  update(rows: number): void;
  /** Removes the bar (the command logs what the pass did). */
  stop(): void;
}

/**
 * @example const progress = rowsProgress('scoring'); progress.update(8192); progress.stop();
 */
export function rowsProgress(what: string, terminal = stderrTerminal): RowsProgress {
  const started = performance.now();
  let bar: ReturnType<typeof terminal.startBar> = null;
  let drawn = false;
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
      bar?.update(rows, {
        rows: rows.toLocaleString('en-US'),
        rate: seconds > 0 ? Math.round(rows / seconds).toLocaleString('en-US') : '-',
      });
    },
    stop() {
      if (bar) terminal.stopBar(bar);
      bar = null;
    },
  };
}
