/**
 * The process's stderr as log lines and a progress bar share it: a line logged while a bar is
 * drawn goes above the bar (the bar's line cleared, the line written, the bar drawn again
 * below it), so neither garbles the other. Bars are drawn only on a terminal, and not when
 * the program runs with --quiet.
 */
import cliProgress from 'cli-progress';
import type { LogOutput } from '../../shared/logging/logger.js';

// ANSI: return to column 0 and clear the line; save the cursor position (DEC), which
// cli-progress restores when a bar stops, so the position must follow the lines written.
const CLEAR_LINE = '\r\x1b[2K';
const SAVE_CURSOR = '\x1b7';

export class BarTerminal implements LogOutput {
  private bar: cliProgress.SingleBar | null = null;
  /** Cleared by --quiet: log lines only. */
  barsAllowed = true;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  get isTTY(): boolean {
    return Boolean(this.stream.isTTY);
  }

  write(text: string): boolean {
    if (!this.bar) return this.stream.write(text);
    this.stream.write(`${CLEAR_LINE}${text}${SAVE_CURSOR}`);
    this.bar.render();
    return true;
  }

  /**
   * A bar drawn with `format` (cli-progress placeholders), or null when bars are off (not a
   * terminal, or --quiet): the caller then only logs. One bar at a time.
   */
  startBar(
    format: string,
    total: number,
    payload: Record<string, unknown>,
    keepWhenDone = false,
  ): cliProgress.SingleBar | null {
    if (!this.isTTY || !this.barsAllowed) return null;
    this.stopBar();
    const bar = new cliProgress.SingleBar(
      {
        stream: this.stream,
        format,
        // Neither hidden cursor nor line wrapping turned off: a run killed by Ctrl-C would
        // leave the terminal so. A bar wider than the terminal is cut at its width instead.
        hideCursor: false,
        linewrap: true,
        barsize: 20,
        clearOnComplete: !keepWhenDone,
        // Redrawn below each log line even when its text has not changed.
        forceRedraw: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, payload);
    this.bar = bar;
    return bar;
  }

  /**
   * Stops the bar that is drawn (only if it is `which`, when given), cleared unless it was
   * started to be kept.
   */
  stopBar(which?: cliProgress.SingleBar): void {
    const bar = this.bar;
    if (bar === null || (which !== undefined && which !== bar)) return;
    this.bar = null;
    bar.stop();
  }
}

/** The one terminal of this process: the logger and every bar write through it. */
export const stderrTerminal = new BarTerminal(process.stderr);
