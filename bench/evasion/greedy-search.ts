/**
 * The attacker's search: for each attack flow, apply the one edit (of those its protocol and
 * its attack allow) that lowers the model's score most, again and again, until the score is at
 * or below the alert threshold, no edit lowers it, or the budget of edits is spent. All flows
 * still searching are stepped together so each step is one batched call to the scorer.
 */

/** One edit of a flow: its next form from its current and original form, or null when the
 * protocol, the attack or the budget's caps do not allow it from here. */
export interface Edit<R> {
  readonly name: string;
  apply(current: R, original: R): R | null;
}

/** The model's own score of a batch of flows, and the score above which a flow is an alert. */
export interface Scorer<R> {
  score(rows: readonly R[]): ArrayLike<number>;
  readonly threshold: number;
}

export interface SearchResult<R> {
  readonly before: number;
  readonly after: number;
  /** Edits applied (each accepted step is one). */
  readonly edits: number;
  /** Alerted before the search and not after. */
  readonly evaded: boolean;
  readonly alertedBefore: boolean;
  readonly row: R;
  /** The names of the edits applied, in order. */
  readonly path: readonly string[];
}

interface Searching<R> {
  row: R;
  score: number;
  path: string[];
  active: boolean;
}

/**
 * Searches every flow of `rows` for an evasion; `editsFor` gives the edits allowed for a flow
 * (its attack's rules); `maxEdits` is the budget of edits per flow.
 */
export function greedyEvasion<R>(
  rows: readonly R[],
  editsFor: (original: R) => readonly Edit<R>[],
  scorer: Scorer<R>,
  maxEdits: number,
): SearchResult<R>[] {
  const before = scorer.score(rows);
  const edits = rows.map(editsFor);
  const state: Searching<R>[] = rows.map((row, i) => ({
    row,
    score: before[i]!,
    path: [],
    // A flow that is no alert has nothing to evade.
    active: before[i]! > scorer.threshold,
  }));
  for (let step = 0; step < maxEdits; step++) {
    const candidates: R[] = [];
    const owners: number[] = [];
    const names: string[] = [];
    state.forEach((flow, i) => {
      if (!flow.active) return;
      for (const edit of edits[i]!) {
        const next = edit.apply(flow.row, rows[i]!);
        if (next === null) continue;
        candidates.push(next);
        owners.push(i);
        names.push(edit.name);
      }
    });
    if (candidates.length === 0) break;
    const scores = scorer.score(candidates);
    const best = new Map<number, number>();
    owners.forEach((owner, c) => {
      const current = best.get(owner);
      if (current === undefined || scores[c]! < scores[current]!) best.set(owner, c);
    });
    for (const [i, flow] of state.entries()) {
      if (!flow.active) continue;
      const c = best.get(i);
      // Stuck: no allowed edit, or none lowers the score.
      if (c === undefined || !(scores[c]! < flow.score)) {
        flow.active = false;
        continue;
      }
      flow.row = candidates[c]!;
      flow.score = scores[c]!;
      flow.path.push(names[c]!);
      if (flow.score <= scorer.threshold) flow.active = false;
    }
  }
  return state.map((flow, i) => {
    const alertedBefore = before[i]! > scorer.threshold;
    return {
      before: before[i]!,
      after: flow.score,
      edits: flow.path.length,
      alertedBefore,
      evaded: alertedBefore && flow.score <= scorer.threshold,
      row: flow.row,
      path: flow.path,
    };
  });
}
