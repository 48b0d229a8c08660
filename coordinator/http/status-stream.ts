/**
 * Server-sent events for the dashboard: every connected page gets a `status` event with the
 * federation snapshot on connect, every interval, and whenever the coordinator calls `notify`.
 */
import type { ServerResponse } from 'node:http';

/** A client that has this much unsent data is too slow to follow; it is dropped. */
const MAX_BUFFERED_BYTES = 1 << 20;

export interface StatusStreamOptions {
  /** The snapshot as JSON text; called once per broadcast, not once per client. */
  readonly snapshot: () => string;
  readonly intervalMs: number;
  readonly maxClients: number;
  readonly log?: (line: string) => void;
}

export class StatusStream {
  private readonly clients = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: StatusStreamOptions) {}

  get clientCount(): number {
    return this.clients.size;
  }

  /** False (and nothing written) when the stream is full or closed: answer 503. */
  add(res: ServerResponse, headers: Record<string, string>): boolean {
    if (this.closed || this.clients.size >= this.options.maxClients) return false;
    res.writeHead(200, {
      ...headers,
      'Content-Type': 'text/event-stream; charset=utf-8',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: ${this.options.intervalMs}\n\n`);
    this.clients.add(res);
    res.on('close', () => this.remove(res));
    const event = this.event();
    if (event !== null) this.send(res, event);
    this.timer ??= setInterval(() => this.broadcast(), this.options.intervalMs).unref();
    return true;
  }

  /** Sends the current snapshot to every client now. */
  broadcast(): void {
    if (this.clients.size === 0) return;
    const event = this.event();
    if (event === null) return;
    for (const res of this.clients) this.send(res, event);
  }

  /** Ends every stream and refuses new ones. */
  close(): void {
    this.closed = true;
    for (const res of this.clients) res.end();
    this.clients.clear();
    this.stopTimer();
  }

  /** Null when the snapshot cannot be taken: logged, and the clients wait for the next one. */
  private event(): string | null {
    try {
      // JSON.stringify without indentation never emits a newline, so one data line suffices.
      return `event: status\ndata: ${this.options.snapshot()}\n\n`;
    } catch (error) {
      this.options.log?.(`dashboard: cannot take the status snapshot: ${String(error)}`);
      return null;
    }
  }

  private send(res: ServerResponse, event: string): void {
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      this.options.log?.('dashboard: dropping an event stream whose client stopped reading');
      res.destroy();
      this.remove(res);
      return;
    }
    res.write(event);
  }

  private remove(res: ServerResponse): void {
    this.clients.delete(res);
    if (this.clients.size === 0) this.stopTimer();
  }

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
