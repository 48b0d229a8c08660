/**
 * What the round loop sees of a client: something that runs a task and eventually returns
 * a payload or fails. The gRPC service implements it for remote sites; tests use in-memory
 * sites. The loop never touches transport, crypto or proto code.
 */
import type { ClientPayload, Task } from '../../shared/federation/messages.js';

export interface ClientProxy {
  /** Stable id: the fingerprint of the client's signing key. */
  readonly id: string;
  /** Runs `task` on the client. Rejects when the client fails, drops out or `signal` aborts. */
  run(task: Task, signal: AbortSignal): Promise<ClientPayload>;
  /**
   * True when the proxy resolves only with payloads that already passed the round's check
   * (FederationLoop.check): the gRPC service checks before it writes a receipt, so the loop
   * does not check the same payload again. In-process proxies leave it unset.
   */
  readonly checksPayloads?: boolean;
}

/** Which clients can take work now (enrolled and connected). */
export interface ClientRegistry {
  connected(): readonly ClientProxy[];
  /** Resolves when the set of connected clients changes (or after `ms`). */
  changed(ms: number): Promise<void>;
}
