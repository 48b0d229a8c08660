/**
 * Runs one task on several clients and collects what comes back. Failures are data, not
 * exceptions (as Flower's fit_clients): the caller decides whether enough results arrived.
 */
import type { ClientPayload, Task } from '../../shared/federation/messages.js';
import type { ClientProxy } from './client-proxy.js';

export interface TaskOutcome {
  readonly results: { clientId: string; payload: ClientPayload }[];
  readonly failures: { clientId: string; reason: string }[];
}

export interface CollectPolicy {
  /** Stop waiting as soon as this many results arrived. */
  readonly quorum: number;
  /** Stop waiting at this time (epoch ms) whatever arrived. */
  readonly deadlineMs: number;
  /** Checks a payload before it counts; returns why it is rejected, or null. */
  validate(client: ClientProxy, payload: ClientPayload): string | null;
  /** Closes the round early (the coordinator is stopping). */
  readonly signal?: AbortSignal;
}

/** `task` goes to every client; a function gives each its own (a secure-aggregation step's data). */
export async function runTasks(
  clients: readonly ClientProxy[],
  task: Task | ((clientId: string) => Task),
  policy: CollectPolicy,
): Promise<TaskOutcome> {
  const taskFor = typeof task === 'function' ? task : () => task;
  const outcome: TaskOutcome = { results: [], failures: [] };
  const abort = new AbortController();
  let settled = 0;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(finish, Math.max(0, policy.deadlineMs - Date.now()));
    policy.signal?.addEventListener('abort', finish, { once: true });
    if (policy.signal?.aborted) queueMicrotask(finish);
    function finish() {
      clearTimeout(timer);
      policy.signal?.removeEventListener('abort', finish);
      abort.abort(new Error('round closed'));
      resolve();
    }
    // Nobody to ask, or the quorum already met (results a resumed round had accepted):
    // no task is sent, so none is left pending at a client.
    if (clients.length === 0 || policy.quorum <= 0) {
      finish();
      return;
    }
    for (const client of clients) {
      client.run(taskFor(client.id), abort.signal).then(
        (payload) => {
          if (abort.signal.aborted) return;
          const problem = policy.validate(client, payload);
          if (problem)
            outcome.failures.push({ clientId: client.id, reason: `rejected: ${problem}` });
          else outcome.results.push({ clientId: client.id, payload });
          if (++settled === clients.length || outcome.results.length >= policy.quorum) finish();
        },
        (error: unknown) => {
          if (abort.signal.aborted) return;
          outcome.failures.push({
            clientId: client.id,
            reason: error instanceof Error ? error.message : String(error),
          });
          if (++settled === clients.length) finish();
        },
      );
    }
  });
  for (const client of clients) {
    const known =
      outcome.results.some((r) => r.clientId === client.id) ||
      outcome.failures.some((f) => f.clientId === client.id);
    if (!known)
      outcome.failures.push({ clientId: client.id, reason: 'no result before the round closed' });
  }
  return outcome;
}
