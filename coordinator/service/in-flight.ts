/**
 * Bytes of results being received, reserved from each result's declared size before any
 * chunk is buffered: one result at a time per client, and a ceiling over all of them, so
 * that enrolled clients cannot make the coordinator buffer without bound either.
 */
import { FedflowError } from '../../shared/wire/errors.js';

export class InFlightResults {
  private total = 0;
  private readonly clients = new Set<string>();

  constructor(private readonly maxTotalBytes: number) {}

  /** Reserves `bytes` for `clientId`'s result, or throws RESOURCE_EXHAUSTED; release when done. */
  reserve(clientId: string, bytes: number): () => void {
    if (this.clients.has(clientId))
      throw new FedflowError(
        'resource-exhausted',
        'another result from this client is still being received; send one at a time',
      );
    if (this.total + bytes > this.maxTotalBytes)
      throw new FedflowError(
        'resource-exhausted',
        `the coordinator is receiving ${this.total} bytes of results; ${bytes} more would pass its limit of ${this.maxTotalBytes}; retry shortly`,
      );
    this.total += bytes;
    this.clients.add(clientId);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= bytes;
      this.clients.delete(clientId);
    };
  }
}
