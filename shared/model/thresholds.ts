/** Anomaly thresholds that travel with a model: score cut-offs at target false-positive rates. */

export interface ThresholdSet {
  /** Where the thresholds come from: one site's held-out normals, or federated calibration. */
  readonly source: 'local-calibration' | 'federated-calibration';
  /** How many held-out normal flows were scored to place them. */
  readonly calibrationFlows: number;
  /** A flow is an alert at a target when its score is strictly above that threshold. */
  readonly targets: readonly { readonly fpr: number; readonly threshold: number }[];
}

/** Key used for a target in alert lines and reports, e.g. `fpr=0.01`. */
export function targetKey(fpr: number): string {
  return `fpr=${fpr}`;
}

export function validateThresholds(value: unknown, source: string): ThresholdSet {
  const fail = (why: string): never => {
    throw new Error(`${source}: invalid thresholds: ${why}`);
  };
  const v = (value ?? {}) as Record<string, unknown>;
  if (v.source !== 'local-calibration' && v.source !== 'federated-calibration')
    fail("'source' must be local-calibration or federated-calibration");
  if (typeof v.calibrationFlows !== 'number') fail("'calibrationFlows' must be a number");
  if (!Array.isArray(v.targets)) return fail("'targets' must be an array");
  v.targets.forEach((t: { fpr?: unknown; threshold?: unknown }, i: number) => {
    if (typeof t?.fpr !== 'number' || !(t.fpr > 0 && t.fpr < 1))
      fail(`targets[${i}].fpr must be in (0, 1)`);
    if (typeof t.threshold !== 'number' || !Number.isFinite(t.threshold))
      fail(`targets[${i}].threshold must be a finite number`);
  });
  return value as ThresholdSet;
}
