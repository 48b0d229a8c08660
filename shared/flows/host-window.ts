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
  // Kept with the connection so that dropping it does not build the key string again.
  private endpoints: (string | null)[] = new Array(INITIAL_SLOTS);
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
    while (this.older < this.size && this.times[this.slot(this.older)]! < since) this.older++;
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
  endpointShare(endpoint: string): number {
    return this.size === 0 ? 0 : (this.endpointCounts.get(endpoint) ?? 0) / this.size;
  }

  /** Share of the window's connections to this port. */
  portShare(port: number): number {
    return this.size === 0 ? 0 : (this.portCounts.get(port) ?? 0) / this.size;
  }

  /** The time the oldest connection in the window started (-Infinity for none yet). */
  get oldest(): number {
    return this.size === 0 ? Number.NEGATIVE_INFINITY : this.times[this.head]!;
  }

  /** The time the newest connection in the window started (-Infinity for none yet). */
  get newest(): number {
    return this.size === 0 ? Number.NEGATIVE_INFINITY : this.times[this.slot(this.size - 1)]!;
  }

  /**
   * Adds a connection. `endpoint` (from {@link endpointKey}) is counted for endpointShare; a
   * window that never asks for that share passes null and skips the bookkeeping.
   */
  add(time: number, peer: string, port: number, failed: boolean, endpoint: string | null): void {
    if (this.size === this.capacity) this.dropOldest();
    else if (this.size === this.times.length) this.grow();
    const at = this.slot(this.size);
    this.times[at] = time;
    this.peers[at] = peer;
    this.endpoints[at] = endpoint;
    this.ports[at] = port;
    this.failed[at] = failed ? 1 : 0;
    this.size++;
    if (failed) this.failures++;
    increment(this.peerCounts, peer);
    increment(this.portCounts, port);
    if (endpoint !== null) increment(this.endpointCounts, endpoint);
  }

  private slot(offset: number): number {
    return (this.head + offset) % this.times.length;
  }

  private dropOldest(): void {
    const at = this.head;
    decrement(this.peerCounts, this.peers[at]!);
    decrement(this.portCounts, this.ports[at]!);
    const endpoint = this.endpoints[at]!;
    if (endpoint !== null) decrement(this.endpointCounts, endpoint);
    if (this.failed[at]) this.failures--;
    this.peers[at] = '';
    this.endpoints[at] = null;
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
    const endpoints: (string | null)[] = new Array(slots);
    order.forEach((from, to) => {
      times[to] = this.times[from]!;
      ports[to] = this.ports[from]!;
      failed[to] = this.failed[from]!;
      peers[to] = this.peers[from]!;
      endpoints[to] = this.endpoints[from]!;
    });
    this.times = times;
    this.ports = ports;
    this.failed = failed;
    this.peers = peers;
    this.endpoints = endpoints;
    this.head = 0;
  }
}

const INITIAL_SLOTS = 8;

/** The key a connection's peer and port are counted under for endpointShare. */
export function endpointKey(peer: string, port: number): string {
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
 * The windows of the hosts seen lately: at most `maxHosts`. When a new host would pass that,
 * a quarter of the room is made at once: first hosts whose windows hold nothing any more (their
 * newest connection is older than the window, so forgetting them changes no count), then the
 * least recently seen. Looking a host up is one map read; the sort is paid once per many new
 * hosts, so memory stays bounded however many addresses a capture holds.
 */
export class HostWindows {
  private readonly windows = new Map<string, { window: HostWindow; lastSeen: number }>();
  private seen = 0;

  constructor(
    private readonly maxHosts: number,
    private readonly capacity: number,
  ) {}

  /**
   * The window of `host` (a fresh one for a new host), marked as just seen. `windowStart` is
   * the time before which connections no longer count (what makes a window idle).
   */
  get(host: string, windowStart: number): HostWindow {
    let entry = this.windows.get(host);
    if (entry === undefined) {
      if (this.windows.size >= this.maxHosts) this.makeRoom(windowStart);
      entry = { window: new HostWindow(this.capacity), lastSeen: 0 };
      this.windows.set(host, entry);
    }
    entry.lastSeen = ++this.seen;
    return entry.window;
  }

  private makeRoom(windowStart: number): void {
    const wanted = Math.max(1, this.maxHosts >> 2);
    let freed = 0;
    for (const [host, { window }] of this.windows) {
      if (window.newest < windowStart) {
        this.windows.delete(host);
        freed++;
      }
    }
    if (freed >= wanted) return;
    const byRecency = [...this.windows].sort((a, b) => a[1].lastSeen - b[1].lastSeen);
    for (let i = 0; i < wanted - freed; i++) this.windows.delete(byRecency[i]![0]);
  }
}
