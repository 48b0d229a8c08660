/**
 * The `screening` member of a coordinator's ingress entry: what the aggregation strategy did
 * with one site's accepted delta when its training round closed (kept, clipped or excluded).
 */

/** Actions a strategy's screening takes on a delta. */
export const SCREENING_ACTIONS = ['kept', 'clipped', 'excluded'] as const;
export type ScreeningAction = (typeof SCREENING_ACTIONS)[number];

/**
 * The screening decision for one delta. Fractional numbers are decimal strings, because the
 * canonical form allows only integers: a float's JSON spelling differs between languages
 * (JS `1e-7`, Python `1e-07`), so a number member would make the entry's bytes
 * implementation-defined. Each is the shortest decimal that reads back as the same double,
 * as ECMAScript's Number#toString writes it (`String(x)`): "0.25", "152.3", "1e-7".
 * Python's float() reads every one of them.
 */
export interface AuditScreening {
  /** The strategy that screened it, e.g. 'fedavg+norm-bound'. */
  readonly strategy: string;
  /** L2 norm of the delta as received: a finite decimal >= 0. */
  readonly norm: string;
  /** Cosine between the delta as received and the round's combined update, in [-1, 1]. */
  readonly cosine: string;
  readonly action: ScreeningAction;
  /**
   * Why it was clipped or excluded (required then). A kept update may carry one too: the
   * screening ran weaker than configured (Multi-Krum with too few results tolerates fewer faults).
   */
  readonly reason?: string;
  /** The site's share of the combined update, in [0, 1]; "0" when excluded. */
  readonly weight: string;
  /**
   * Under differential privacy only (both or neither): the epsilon the published training
   * rounds have spent, this round included, and the delta it is stated for.
   */
  readonly epsilon?: string;
  readonly delta?: string;
}

/** The canonical member order of a screening member (reason left out when absent). */
export const SCREENING_MEMBERS = [
  'strategy',
  'norm',
  'cosine',
  'action',
  'reason',
  'weight',
  'epsilon',
  'delta',
] as const;

/** The numbers a strategy reports for one delta (coordinator/strategy UpdateReport). */
export interface ScreeningNumbers {
  readonly strategy: string;
  readonly norm: number;
  readonly cosine: number;
  readonly action: ScreeningAction;
  readonly reason?: string | undefined;
  readonly weight: number;
  readonly privacy?: { readonly epsilon: number; readonly delta: number } | undefined;
}

/**
 * The audit form of a screening decision; throws a RangeError naming a number that is not finite.
 * @example toAuditScreening({ strategy: 'fedavg+norm-bound', norm: 152.3, cosine: -0.12,
 *   action: 'clipped', reason: 'norm 152.3 clipped to 1.5', weight: 0.5 }).norm // '152.3'
 */
export function toAuditScreening(numbers: ScreeningNumbers): AuditScreening {
  const { strategy, action, reason, privacy } = numbers;
  const screening = {
    strategy,
    norm: decimalString(numbers.norm, 'norm'),
    cosine: decimalString(numbers.cosine, 'cosine'),
    action,
    ...(reason === undefined ? {} : { reason }),
    weight: decimalString(numbers.weight, 'weight'),
  };
  if (!privacy) return screening;
  return {
    ...screening,
    epsilon: decimalString(privacy.epsilon, 'epsilon'),
    delta: decimalString(privacy.delta, 'delta'),
  };
}

/** `String(x)` for a finite number (so -0 is "0"). */
export function decimalString(value: number, name: string): string {
  if (!Number.isFinite(value))
    throw new RangeError(`screening.${name}: expected a finite number, got ${value}`);
  return String(value);
}

const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?(e[+-][1-9][0-9]*)?$/;

/**
 * The number a decimal member holds, or null unless it is exactly the spelling
 * decimalString gives that number (so each value has one form, and "-0", "1.50", "+1" fail).
 */
export function readDecimal(value: unknown): number | null {
  if (typeof value !== 'string' || !DECIMAL.test(value)) return null;
  const number = Number(value);
  return Number.isFinite(number) && String(number) === value ? number : null;
}
