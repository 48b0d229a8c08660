/**
 * Each source host's last few encoded flows, in stream order: what the sequence model (gru)
 * predicts a flow from. Bounded like the traffic features' windows: at most `maxHosts` hosts
 * (the least recently seen is forgotten first), `steps` flows each, so memory is at most
 * maxHosts x steps x (fieldCount x 2 + 4) bytes whatever the stream's length. A host silent
 * for longer than `gapSeconds` starts afresh: an hour-old flow says little about the next one.
 */

/** The code a history slot holds when it holds no flow (fewer than `steps` earlier flows). */
export const NO_FLOW = 0xffff;

export interface HistorySettings {
  /** Earlier flows kept per host (H). */
  readonly steps: number;
  /** Hosts kept at once; the least recently seen is forgotten beyond this. */
  readonly maxHosts: number;
  /** A host's history is forgotten after this many seconds without a flow; null: never. */
  readonly gapSeconds: number | null;
}

/** One host's ring of its last `steps` flows: codes, and the id the caller gave each flow. */
interface HostRing {
  readonly codes: Uint16Array;
  readonly ids: Int32Array;
  /** Slot of the oldest flow. */
  head: number;
  size: number;
  /** Time of the newest flow (seconds), or null when it had none. */
  lastTs: number | null;
}

export class HostHistory {
  /** Insertion order is recency: a host seen again is deleted and re-added at the end. */
  private readonly hosts = new Map<string, HostRing>();

  constructor(
    readonly fieldCount: number,
    readonly settings: HistorySettings,
  ) {
    if (!(settings.steps >= 1 && settings.maxHosts >= 1))
      throw new Error(
        `a host history needs steps >= 1 and maxHosts >= 1, got ${settings.steps} and ${settings.maxHosts}`,
      );
  }

  /** Hosts currently remembered (at most maxHosts). */
  get size(): number {
    return this.hosts.size;
  }

  /**
   * Writes the history of the next flow of `host` at `ts`, then records that flow (its codes at
   * `codes[at ..]`, its `id`). The history is `steps` slots, oldest first, the real flows last:
   * codes into `codesOut` from `codesAt` (NO_FLOW in empty slots), ids into `idsOut` from
   * `idsAt` (-1 in empty slots); either output may be null. A flow without a host (null: the
   * file has no addresses) has an empty history and is not recorded. Returns how many slots
   * hold a flow.
   */
  next(
    host: string | null,
    ts: number | null,
    codes: Uint16Array,
    at: number,
    id: number,
    codesOut: Uint16Array | null,
    codesAt: number,
    idsOut: Int32Array | null,
    idsAt: number,
  ): number {
    const { steps } = this.settings;
    const f = this.fieldCount;
    const ring = host === null ? undefined : this.hosts.get(host);
    if (ring && this.expired(ring, ts)) ring.size = 0;
    const size = ring?.size ?? 0;
    const empty = steps - size;
    if (codesOut) codesOut.fill(NO_FLOW, codesAt, codesAt + empty * f);
    if (idsOut) idsOut.fill(-1, idsAt, idsAt + empty);
    for (let i = 0; i < size; i++) {
      const slot = (ring!.head + i) % steps;
      const to = empty + i;
      if (codesOut) codesOut.set(ring!.codes.subarray(slot * f, slot * f + f), codesAt + to * f);
      if (idsOut) idsOut[idsAt + to] = ring!.ids[slot]!;
    }
    if (host !== null) this.record(host, ring, ts, codes, at, id);
    return size;
  }

  private expired(ring: HostRing, ts: number | null): boolean {
    const gap = this.settings.gapSeconds;
    return gap !== null && ts !== null && ring.lastTs !== null && ts - ring.lastTs > gap;
  }

  private record(
    host: string,
    known: HostRing | undefined,
    ts: number | null,
    codes: Uint16Array,
    at: number,
    id: number,
  ): void {
    const { steps } = this.settings;
    const f = this.fieldCount;
    let ring = known;
    if (ring) {
      this.hosts.delete(host);
    } else {
      if (this.hosts.size >= this.settings.maxHosts)
        this.hosts.delete(this.hosts.keys().next().value!);
      ring = {
        codes: new Uint16Array(steps * f),
        ids: new Int32Array(steps),
        head: 0,
        size: 0,
        lastTs: null,
      };
    }
    this.hosts.set(host, ring);
    const slot = (ring.head + ring.size) % steps;
    ring.codes.set(codes.subarray(at, at + f), slot * f);
    ring.ids[slot] = id;
    if (ring.size < steps) ring.size++;
    else ring.head = (ring.head + 1) % steps;
    ring.lastTs = ts;
  }
}
