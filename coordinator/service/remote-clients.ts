/**
 * Connected clients as the round loop sees them: each open WaitForTask stream is a
 * ClientProxy; a task is pushed down the stream and its result arrives through SubmitResult.
 */
import type { ClientPayload, Task } from '../../shared/federation/messages.js';
import type { ClientProxy, ClientRegistry } from '../rounds/client-proxy.js';

interface Pending {
  readonly task: Task;
  resolve(payload: ClientPayload): void;
  reject(error: Error): void;
}

class RemoteClient implements ClientProxy {
  readonly pending = new Map<string, Pending>();
  /** Set while the client has no open stream: its tasks fail if it does not come back in time. */
  detachTimer: NodeJS.Timeout | null = null;
  /** SubmitResult checks every payload before it is delivered (acceptResult). */
  readonly checksPayloads = true;

  constructor(
    readonly id: string,
    public send: (task: Task) => void,
  ) {}

  run(task: Task, signal: AbortSignal): Promise<ClientPayload> {
    return new Promise((resolve, reject) => {
      const done = () => this.pending.delete(task.taskId);
      this.pending.set(task.taskId, {
        task,
        resolve: (p) => {
          done();
          resolve(p);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
      signal.addEventListener(
        'abort',
        () => this.pending.get(task.taskId)?.reject(new Error('round closed')),
        { once: true },
      );
      this.send(task);
    });
  }

  dropAll(reason: string): void {
    for (const p of [...this.pending.values()]) p.reject(new Error(reason));
  }
}

export class RemoteClients implements ClientRegistry {
  private readonly clients = new Map<string, RemoteClient>();
  private waiters: (() => void)[] = [];

  /** How long a client whose stream closed keeps its open tasks (to reconnect or restart). */
  constructor(private readonly reattachMs = 60_000) {}

  /**
   * A client's task stream opened: it can take work. A client that comes back (a new
   * stream, or a restarted process with the same key) is sent its still open tasks again.
   */
  attach(clientId: string, send: (task: Task) => void): void {
    const known = this.clients.get(clientId);
    if (known) {
      if (known.detachTimer) clearTimeout(known.detachTimer);
      known.detachTimer = null;
      known.send = send;
      for (const p of known.pending.values()) send(p.task);
    } else {
      this.clients.set(clientId, new RemoteClient(clientId, send));
    }
    this.notify();
  }

  /**
   * The stream closed: the client's open tasks fail unless it attaches again within the
   * reattach window. A stream that ran out its own deadline (`expired`) is a live client
   * busy training, which renews its stream only after it submits: its tasks are kept until
   * their deadline. A stream that closed early (the connection or the process went away)
   * releases them at the reattach window, so a dead site does not stall the round.
   */
  detach(clientId: string, send: (task: Task) => void, expired = false): void {
    const client = this.clients.get(clientId);
    if (!client || client.send !== send) return;
    const deadlines = expired
      ? [...client.pending.values()].map((p) => p.task.deadlineMs - Date.now())
      : [];
    client.detachTimer = setTimeout(
      () => {
        client.dropAll('the client disconnected');
        if (this.clients.get(clientId) === client) this.clients.delete(clientId);
        this.notify();
      },
      Math.max(this.reattachMs, ...deadlines),
    );
    client.detachTimer.unref();
    this.notify();
  }

  /** Forgets a client at once (taken off the allow-list): its open tasks fail with `reason`. */
  remove(clientId: string, reason: string): void {
    const client = this.clients.get(clientId);
    if (!client) return;
    if (client.detachTimer) clearTimeout(client.detachTimer);
    client.dropAll(reason);
    this.clients.delete(clientId);
    this.notify();
  }

  /**
   * Forgets every client (a federation job ended: its streams end with Finished), so the next
   * job selects only sites whose streams open for it, never one that is leaving.
   */
  removeAll(reason: string): void {
    for (const id of [...this.clients.keys()]) this.remove(id, reason);
  }

  connected(): readonly ClientProxy[] {
    return [...this.clients.values()].filter((c) => c.detachTimer === null);
  }

  changed(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** The task a client is expected to answer under this id, or null. */
  pendingTask(clientId: string, taskId: string): Task | null {
    return this.clients.get(clientId)?.pending.get(taskId)?.task ?? null;
  }

  deliver(clientId: string, taskId: string, payload: ClientPayload): void {
    this.clients.get(clientId)?.pending.get(taskId)?.resolve(payload);
  }

  fail(clientId: string, taskId: string, reason: string): void {
    this.clients.get(clientId)?.pending.get(taskId)?.reject(new Error(reason));
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
