/** Anomaly thresholds that travel with a model: score cut-offs at target false-positive rates. */
import { thinThresholdWarnings } from '../stats/thresholds.js';

export interface ThresholdSet {
  /**
   * Where the thresholds come from: the training site's held-out normals, federated
   * calibration, or a site's own recent normals after training (`fedflow calibrate`).
   */
  readonly source: 'local-calibration' | 'federated-calibration' | 'site-calibration';
  /** For site calibration: the files the thresholds were placed on, and when. */
  readonly placedOn?: { readonly files: readonly string[]; readonly at: string };
  /** How many held-out normal flows were scored to place them. */
  readonly calibrationFlows: number;
  /** A flow is an alert at a target when its score is strictly above that threshold. */
  readonly targets: readonly { readonly fpr: number; readonly threshold: number }[];
  /**
   * The score the thresholds were placed on: the ELBO (0, and when absent, as in models made
   * before this was recorded) or an importance-weighted bound of K samples. Thresholds placed
   * on one score do not hold for the other.
   */
  readonly importanceSamples?: number;
}

/**
 * The score to use with a model's thresholds: the one asked for (refused when it is not the
 * one they were placed on), else the one they were placed on, else the configured one.
 */
export function scoreForThresholds(
  thresholds: ThresholdSet | null,
  asked: number | undefined,
  configured: number,
  modelDir: string,
): number {
  const importanceSamples = asked ?? thresholds?.importanceSamples ?? configured;
  assertThresholdsFit(thresholds, importanceSamples, modelDir);
  return importanceSamples;
}

/**
 * Refuses to apply `thresholds` to scores of another kind than they were placed on: an
 * importance-weighted bound sits below the ELBO, so the ELBO's thresholds would let through
 * more than their target FPR (2.5% observed for a 1% target on NSL-KDD).
 */
export function assertThresholdsFit(
  thresholds: ThresholdSet | null,
  importanceSamples: number,
  modelDir: string,
): void {
  if (!thresholds) return;
  const placed = thresholds.importanceSamples ?? 0;
  if (placed === importanceSamples) return;
  const describe = (k: number) =>
    k === 0 ? 'the ELBO (no importance samples)' : `${k} importance samples`;
  throw new Error(
    `${modelDir}: its thresholds were placed on scores from ${describe(placed)}; scoring with ${describe(importanceSamples)} would apply them to another score. Score with --importance-samples ${placed}, or re-place the thresholds on this score (train with scoring.importanceSamples ${importanceSamples})`,
  );
}

/**
 * Warnings for thresholds backed by fewer than 10 / FPR calibration flows (their placement
 * allowed floor(FPR x n) flows above each), with the interval their true FPR lies in.
 */
export function thresholdSetWarnings(thresholds: ThresholdSet | null): string[] {
  if (!thresholds) return [];
  const n = thresholds.calibrationFlows;
  const placed = thresholds.targets.map((t) => ({
    targetFpr: t.fpr,
    normalsAbove: Math.floor(t.fpr * n),
  }));
  return thinThresholdWarnings(placed, n);
}

export function validateThresholds(value: unknown, source: string): ThresholdSet {
  const fail = (why: string): never => {
    throw new Error(`${source}: invalid thresholds: ${why}`);
  };
  const v = (value ?? {}) as Record<string, unknown>;
  if (
    !['local-calibration', 'federated-calibration', 'site-calibration'].includes(v.source as string)
  )
    fail("'source' must be local-calibration, federated-calibration or site-calibration");
  if (typeof v.calibrationFlows !== 'number') fail("'calibrationFlows' must be a number");
  if (!Array.isArray(v.targets)) return fail("'targets' must be an array");
  v.targets.forEach((t: { fpr?: unknown; threshold?: unknown }, i: number) => {
    if (typeof t?.fpr !== 'number' || !(t.fpr > 0 && t.fpr < 1))
      fail(`targets[${i}].fpr must be in (0, 1)`);
    if (typeof t.threshold !== 'number' || !Number.isFinite(t.threshold))
      fail(`targets[${i}].threshold must be a finite number`);
  });
  if (
    v.importanceSamples !== undefined &&
    !(Number.isInteger(v.importanceSamples) && (v.importanceSamples as number) >= 0)
  )
    fail("'importanceSamples' must be a non-negative integer");
  return value as ThresholdSet;
}
