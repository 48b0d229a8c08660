/**
 * One host's recent connections over a sliding time window, with running counts, so the traffic
 * features of a new connection cost O(1) amortised: each connection enters once and leaves once.
 * A window holds at most `capacity` connections (the oldest leave first), so a flooding host
 * costs bounded memory and its counts saturate instead of growing without end; its buffers start
 * small and double as needed, since most hosts make few connections a minute.
 */
export class HostWindow {
  private times = new Float64Array(INITIAL_SLOTS);
  private peers: string[] = new Array(INITIAL_SLOTS);
  private ports = new Int32Array(INITIAL_SLOTS);
  private failed = new Uint8Array(INITIAL_SLOTS);
  private head = 0;
  private size = 0;
  /** How many of the oldest connections in the window started before the recent span. */
  private older = 0;
  private failures = 0;
  private readonly peerCounts = new Map<string, number>();
  private readonly portCounts = new Map<number, number>();
  private readonly endpointCounts = new Map<string, number>();

  constructor(private readonly capacity: number) {}

  /** Drops the connections that started before `since` (seconds). */
  expire(since: number): void {
    while (this.size > 0 && this.times[this.head]! < since) this.dropOldest();
  }

  get connections(): number {
    return this.size;
  }

  /** Connections that started at or after `since` (a span shorter than the window). */
  recentConnections(since: number): number {
    while (
      this.older < this.size &&
      this.times[(this.head + this.older) % this.times.length]! < since
    )
      this.older++;
    return this.size - this.older;
  }

  get distinctPeers(): number {
    return this.peerCounts.size;
  }

  get distinctPorts(): number {
    return this.portCounts.size;
  }

  /** Share of the window's connections that failed (0 for an empty window). */
  get failedShare(): number {
    return this.size === 0 ? 0 : this.failures / this.size;
  }

  /** Share of the window's connections to this peer and port. */
  endpointShare(peer: string, port: number): number {
    return this.size === 0 ? 0 : (this.endpointCounts.get(endpoint(peer, port)) ?? 0) / this.size;
  }

  /** Share of the window's connections to this port. */
  portShare(port: number): number {
    return this.size === 0 ? 0 : (this.portCounts.get(port) ?? 0) / this.size;
  }

  add(time: number, peer: string, port: number, failed: boolean): void {
    if (this.size === this.capacity) this.dropOldest();
    else if (this.size === this.times.length) this.grow();
    const at = (this.head + this.size) % this.times.length;
    this.times[at] = time;
    this.peers[at] = peer;
    this.ports[at] = port;
    this.failed[at] = failed ? 1 : 0;
    this.size++;
    if (failed) this.failures++;
    increment(this.peerCounts, peer);
    increment(this.portCounts, port);
    increment(this.endpointCounts, endpoint(peer, port));
  }

  private dropOldest(): void {
    const at = this.head;
    const peer = this.peers[at]!;
    const port = this.ports[at]!;
    decrement(this.peerCounts, peer);
    decrement(this.portCounts, port);
    decrement(this.endpointCounts, endpoint(peer, port));
    if (this.failed[at]) this.failures--;
    this.peers[at] = '';
    this.head = (this.head + 1) % this.times.length;
    this.size--;
    if (this.older > 0) this.older--;
  }

  /** Doubles the buffers (up to `capacity`), oldest connection first. */
  private grow(): void {
    const slots = Math.min(this.capacity, 2 * this.times.length);
    const order = Array.from({ length: this.size }, (_, i) => (this.head + i) % this.times.length);
    const times = new Float64Array(slots);
    const ports = new Int32Array(slots);
    const failed = new Uint8Array(slots);
    const peers: string[] = new Array(slots);
    order.forEach((from, to) => {
      times[to] = this.times[from]!;
      ports[to] = this.ports[from]!;
      failed[to] = this.failed[from]!;
      peers[to] = this.peers[from]!;
    });
    this.times = times;
    this.ports = ports;
    this.failed = failed;
    this.peers = peers;
    this.head = 0;
  }
}

const INITIAL_SLOTS = 8;

function endpoint(peer: string, port: number): string {
  return `${peer} ${port}`;
}

function increment<K>(counts: Map<K, number>, key: K): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function decrement<K>(counts: Map<K, number>, key: K): void {
  const left = counts.get(key)! - 1;
  if (left === 0) counts.delete(key);
  else counts.set(key, left);
}

/**
 * The windows of the most recently seen hosts: at most `maxHosts`, the least recently seen
 * forgotten first, so memory stays bounded however many addresses a capture holds.
 */
export class HostWindows {
  private readonly windows = new Map<string, HostWindow>();

  constructor(
    private readonly maxHosts: number,
    private readonly capacity: number,
  ) {}

  /** The window of `host`, made the most recently used (a fresh one for a new host). */
  get(host: string): HostWindow {
    let window = this.windows.get(host);
    if (window === undefined) {
      window = new HostWindow(this.capacity);
      if (this.windows.size >= this.maxHosts) {
        this.windows.delete(this.windows.keys().next().value!);
      }
    } else {
      this.windows.delete(host);
    }
    this.windows.set(host, window);
    return window;
  }
}
