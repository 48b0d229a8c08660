/**
 * Edits an attacker can make to an NSL-KDD connection record. In every KDD attack the attacker
 * is the connection's source, so it controls:
 * - `duration`: it can always be slower (longer), never faster;
 * - `src_bytes`: it can send more (padding) on a connection that carries its payload already
 *   (more bytes on an unanswered SYN would need another `flag`), never less;
 * - the 2-second same-host and same-service counts, upward only: it can open extra, successful
 *   decoy connections to the same host and service around the attack, which raise `count` and
 *   `srv_count` and dilute the error and different-service rates they are the denominator of.
 * Not attacker-controlled, and never edited: `dst_bytes` (the victim's answer), `protocol_type`,
 * `service` and `flag` (what the attack is), the content fields (`hot`, `num_failed_logins`,
 * `root_shell`...: what the attack does once in), and the `dst_host_*` fields, which describe the
 * last 100 connections to the host from everyone. Decoys would shift those too; leaving them
 * unchanged makes the decoy edit weaker than a real attacker's, so recall after it is an upper
 * bound on what that attacker faces.
 */

import { type EvasionRow, fieldIndex, num } from './evasion-row.js';
import type { Edit } from './greedy-search.js';

/** Caps relative to the unperturbed record: the budget of one flow. */
export const KDD_CAPS = { bytes: 10, duration: 10, durationFloorSeconds: 10, decoys: 10 };
/** KDD's 2-second counts stop at 511. */
const COUNT_MAX = 511;
const GRID = { pad: [0.5, 1, 3], stretch: [1.5, 2, 4], fromZero: [1, 4], decoys: [0.5, 1, 3] };

export interface KddLayout {
  readonly at: (name: string) => number;
}

export function kddLayout(fieldNames: readonly string[]): KddLayout {
  const at = fieldIndex(fieldNames);
  for (const name of ['duration', 'src_bytes', 'count', 'srv_count', 'serror_rate'])
    if (at(name) < 0) throw new Error(`not an NSL-KDD schema: no field '${name}'`);
  return { at };
}

export function kddEdits(layout: KddLayout): Edit<EvasionRow>[] {
  return [
    ...GRID.pad.map((f) => edit(`pad src_bytes +${f}x`, (c, o) => padSource(layout, f, c, o))),
    ...GRID.stretch.map((f) => edit(`stretch x${f}`, (c, o) => stretchKdd(layout, f, 0, c, o))),
    ...GRID.fromZero.map((s) => edit(`stretch to ${s}s`, (c, o) => stretchKdd(layout, 1, s, c, o))),
    ...GRID.decoys.map((f) => edit(`decoys +${f}x`, (c, o) => addDecoys(layout, f, c, o))),
  ];
}

const edit = (
  name: string,
  apply: (current: EvasionRow, original: EvasionRow) => EvasionRow | null,
): Edit<EvasionRow> => ({ name, apply });

export function padSource(
  layout: KddLayout,
  factor: number,
  current: EvasionRow,
  original: EvasionRow,
): EvasionRow | null {
  const at = layout.at('src_bytes');
  const bytes = num(current.values[at]);
  if (!(bytes > 0)) return null;
  const next = bytes + Math.max(1, Math.round(bytes * factor));
  if (next > KDD_CAPS.bytes * num(original.values[at])) return null;
  return withChanges(current, [[at, next]]);
}

/** Longer by `factor`, or (for a zero duration) to `seconds`, on a connection that was answered. */
export function stretchKdd(
  layout: KddLayout,
  factor: number,
  seconds: number,
  current: EvasionRow,
  original: EvasionRow,
): EvasionRow | null {
  const at = layout.at('duration');
  const duration = num(current.values[at]);
  // A refused or unanswered opening (S0, REJ...) has no second packet to take its time over.
  const flag = String(current.values[layout.at('flag')]);
  if (seconds > 0 && (duration > 0 || !['SF', 'S1', 'S2', 'S3', 'RSTO', 'RSTR'].includes(flag)))
    return null;
  if (seconds === 0 && !(duration > 0)) return null;
  const next = seconds > 0 ? seconds : duration * factor;
  const cap = Math.max(KDD_CAPS.duration * num(original.values[at]), KDD_CAPS.durationFloorSeconds);
  return next > cap ? null : withChanges(current, [[at, next]]);
}

/**
 * `factor` x count more successful connections to the same host and service within the 2
 * seconds: the counts rise, the same-service share rises, the error and other-service shares
 * they are averaged over fall.
 */
export function addDecoys(
  layout: KddLayout,
  factor: number,
  current: EvasionRow,
  original: EvasionRow,
): EvasionRow | null {
  const v = current.values;
  const count = num(v[layout.at('count')]);
  const srvCount = num(v[layout.at('srv_count')]);
  const k = Math.max(1, Math.round(Math.max(1, count) * factor));
  const nextCount = Math.min(COUNT_MAX, count + k);
  const limit = KDD_CAPS.decoys * Math.max(1, num(original.values[layout.at('count')]));
  if (nextCount === count || nextCount > limit) return null;
  const added = nextCount - count;
  const nextSrv = Math.min(COUNT_MAX, srvCount + added);
  const host = (name: string, decoyValue: number) =>
    [layout.at(name), (num(v[layout.at(name)]) * count + decoyValue * added) / nextCount] as const;
  const service = (name: string) =>
    [layout.at(name), (num(v[layout.at(name)]) * srvCount) / Math.max(1, nextSrv)] as const;
  const changes: (readonly [number, number])[] = [
    [layout.at('count'), nextCount],
    [layout.at('srv_count'), nextSrv],
    host('serror_rate', 0),
    host('rerror_rate', 0),
    host('same_srv_rate', 1),
    host('diff_srv_rate', 0),
    service('srv_serror_rate'),
    service('srv_rerror_rate'),
    service('srv_diff_host_rate'),
  ];
  // KDD writes rates to two decimals.
  return withChanges(
    current,
    changes.map(([i, value], j) => [i, j < 2 ? value : Math.round(value * 100) / 100] as const),
  );
}

function withChanges(
  current: EvasionRow,
  changes: readonly (readonly [number, number])[],
): EvasionRow {
  const values = [...current.values];
  for (const [at, value] of changes) if (at >= 0) values[at] = value;
  return { ...current, values };
}
