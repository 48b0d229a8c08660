/**
 * WaitForTask: a session's task stream. Tasks, heartbeats and the end of the federation are
 * queued and written in order; the client is detached when the stream closes (at once when
 * it expired at its deadline, else after the reattach window).
 */
import { taskEventToWire } from '../../shared/wire/convert.js';
import { FedflowError } from '../../shared/wire/errors.js';
import type { FederationHandlers } from '../../shared/wire/generated/fedflow/v1/Federation.js';
import { wrapServerStream, writeMessage } from '../../shared/wire/status.js';
import type { RemoteClients } from './remote-clients.js';
import type { ServiceContext, UnexpectedErrorSink } from './service-context.js';

export function waitForTaskHandler(
  ctx: ServiceContext,
  onUnexpectedError: UnexpectedErrorSink,
): FederationHandlers['WaitForTask'] {
  return wrapServerStream(
    async (call) => {
      const session = ctx.enrolment.session(call.request.sessionToken);
      const queue: Parameters<typeof taskEventToWire>[0][] = [];
      let wake: (() => void) | null = null;
      const push = (event: (typeof queue)[number]) => {
        queue.push(event);
        wake?.();
      };
      const send = (task: Parameters<Parameters<RemoteClients['attach']>[1]>[0]) =>
        push({ type: 'task', task });
      let ending: { reason: string; complete: boolean } | null = null;
      void ctx.ending().then((end) => {
        ending = end;
        wake?.();
      });
      const heartbeat = setInterval(
        () => push({ type: 'heartbeat', nowMs: Date.now() }),
        ctx.heartbeatMs,
      );
      ctx.clients.attach(session.clientId, send);
      ctx.activity.seen(session.clientId);
      const closed = new Promise<void>((resolve) => call.once('cancelled', resolve));
      try {
        await writeMessage(call, taskEventToWire({ type: 'heartbeat', nowMs: Date.now() }));
        for (;;) {
          while (queue.length > 0) await writeMessage(call, taskEventToWire(queue.shift()!));
          const end = ending as { reason: string; complete: boolean } | null;
          if (end && !end.complete)
            throw new FedflowError('unavailable', `${end.reason}; reconnect later`);
          if (end) {
            await writeMessage(call, taskEventToWire({ type: 'finished', reason: end.reason }));
            return;
          }
          const woke = new Promise<void>((resolve) => (wake = resolve));
          await Promise.race([woke, closed]);
          wake = null;
          if (call.cancelled) return;
        }
      } finally {
        clearInterval(heartbeat);
        // Within a second of its deadline, the stream expired rather than the client leaving.
        const deadline = Number(call.getDeadline());
        ctx.clients.detach(session.clientId, send, Date.now() >= deadline - 1000);
      }
    },
    { onUnexpectedError },
  );
}
