/** In-memory clients for driving the round loop without a network (as Flower's tests do). */
import type { SiteWorker } from '../../client/agent/site-worker.js';
import type { ClientProxy, ClientRegistry } from '../../coordinator/rounds/client-proxy.js';
import type { GlobalModel } from '../../shared/federation/global-model.js';
import type { ClientPayload, Task } from '../../shared/federation/messages.js';

/** A proxy that runs a site worker in-process against the loop's current model. */
export function siteProxy(
  id: string,
  worker: SiteWorker,
  currentModel: () => GlobalModel | null,
): ClientProxy {
  return { id, run: (task) => worker.run(task, currentModel()) };
}

/** A proxy whose answers are scripted per task (for rejection and drop-out tests). */
export function scriptedProxy(
  id: string,
  answer: (task: Task) => Promise<ClientPayload>,
): ClientProxy {
  return { id, run: (task) => answer(task) };
}

export class StaticRegistry implements ClientRegistry {
  constructor(public clients: ClientProxy[]) {}
  connected(): readonly ClientProxy[] {
    return this.clients;
  }
  changed(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}
