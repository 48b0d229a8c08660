/**
 * Who takes part in one secure aggregation, as the coordinator publishes it after the key
 * step: each site's two X25519 public keys, each site's neighbours (those it shares secrets
 * and pairwise masks with) and the threshold of shares that rebuild a secret. SecAgg+ (Bell et
 * al. 2020) uses a sparse neighbour graph so that a site's work grows with log n, not n; a small
 * consortium uses every pair (Bonawitz et al. 2017).
 */

export interface RosterEntry {
  readonly id: string;
  /** X25519 key for the shares sealed to this site (nacl.box). */
  readonly cipherKey: Uint8Array;
  /** X25519 key whose agreement with a neighbour's seeds their pairwise mask. */
  readonly maskKey: Uint8Array;
}

export interface Roster {
  /** Binds shares and masks to one aggregation (the key step's task id). */
  readonly round: string;
  /** Sorted by id. */
  readonly members: readonly RosterEntry[];
  /** Each member's neighbours, symmetric, never itself. */
  readonly neighbours: Readonly<Record<string, readonly string[]>>;
  /**
   * Shares of a member's secret that rebuild it. Its holders are its neighbours and itself (a
   * member that sent its input reveals its own self-mask share like any holder).
   */
  readonly threshold: number;
}

/**
 * A ring of the members in `order` where each is joined to its `degree / 2` nearest on either
 * side (a Harary graph), or every pair when degree >= members - 1. The coordinator picks the
 * order at random, so no site chooses its neighbours.
 */
export function neighbourGraph(order: readonly string[], degree: number): Record<string, string[]> {
  const n = order.length;
  const graph: Record<string, string[]> = Object.fromEntries(order.map((id) => [id, []]));
  const reach = degree >= n - 1 ? Math.floor(n / 2) : Math.max(1, Math.floor(degree / 2));
  for (let i = 0; i < n; i++)
    for (let step = 1; step <= reach; step++) {
      const a = order[i]!;
      const b = order[(i + step) % n]!;
      if (a !== b && !graph[a]!.includes(b)) {
        graph[a]!.push(b);
        graph[b]!.push(a);
      }
    }
  for (const id of order) graph[id]!.sort();
  return graph;
}

/**
 * The default threshold for `holders` holders of a secret (neighbours and the member itself):
 * a strict majority, so no two disjoint groups of holders can each rebuild a secret, and up to
 * (holders - 1) / 2 of them may drop out. (Bonawitz et al. ask for more than two thirds when the
 * coordinator may also lie to sites about who dropped; secureAggregation.threshold sets it.)
 */
export function defaultThreshold(holders: number): number {
  return Math.floor(holders / 2) + 1;
}

/** Why a roster cannot be used by `self` (or by the coordinator when self is null), or null. */
export function rosterProblem(roster: Roster, self: string | null): string | null {
  const ids = roster.members.map((m) => m.id);
  if (new Set(ids).size !== ids.length) return 'a member is listed twice';
  if (self !== null && !ids.includes(self)) return `${self} is not a member`;
  for (const m of roster.members) {
    if (m.cipherKey.length !== 32 || m.maskKey.length !== 32)
      return `${m.id}: public keys must be 32 bytes`;
    const mine = roster.neighbours[m.id];
    if (!mine) return `${m.id} has no neighbour list`;
    for (const v of mine) {
      if (v === m.id) return `${m.id} is listed as its own neighbour`;
      if (!ids.includes(v)) return `${m.id}'s neighbour ${v} is not a member`;
      if (!roster.neighbours[v]?.includes(m.id)) return `${m.id} -> ${v} is not symmetric`;
    }
    const holders = mine.length + 1;
    // Fewer holders than the threshold: nobody could rebuild this member's secrets.
    if (holders < roster.threshold)
      return `${m.id}'s secrets have ${holders} holders, fewer than the threshold ${roster.threshold}`;
    // At or below half: two disjoint groups could each rebuild a different secret of one site.
    if (roster.threshold * 2 <= holders)
      return `threshold ${roster.threshold} is not more than half of the ${holders} holders of ${m.id}'s secrets`;
  }
  return null;
}

/** +1 or -1: the pairwise mask of u and v is added by one of them and subtracted by the other. */
export function maskSign(self: string, other: string): 1 | -1 {
  return self < other ? 1 : -1;
}
