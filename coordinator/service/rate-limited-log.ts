/**
 * One log line per interval for a kind of event that may come in floods (results from no
 * enrolled client): the first is logged at once, the rest are counted and summed up in the
 * next line.
 */
export class RateLimitedLog {
  private suppressed = 0;
  private lastMs = Number.NEGATIVE_INFINITY;
  total = 0;

  constructor(
    private readonly what: string,
    private readonly log: (line: string) => void,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  note(reason: string): void {
    this.total += 1;
    const now = this.now();
    if (now - this.lastMs < this.intervalMs) {
      this.suppressed += 1;
      return;
    }
    const more = this.suppressed > 0 ? ` (and ${this.suppressed} more since the last line)` : '';
    this.log(`${this.what}: ${reason}${more}`);
    this.suppressed = 0;
    this.lastMs = now;
  }
}
