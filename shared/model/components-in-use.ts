/**
 * How many of a discrete latent's K components a trained model uses, two ways: components
 * whose mixture weight is above a floor (what the model's prior says), and the fewest that
 * hold a share of the data's posterior mass (what the data says). For a stick-breaking latent
 * both show how many components the data chose; the fixed mixture's weights are uniform.
 */
import type { FlowEncoder } from '../encoding/flow-encoder.js';
import type { FlowTable } from '../encoding/flow-table.js';
import type { DetectorModel } from './detector-model.js';
import { MultiHotBuilder } from './multi-hot.js';
import { CategoricalVae } from './vae.js';

export interface ComponentsInUse {
  /** K, the components the model has. */
  readonly components: number;
  /** Components whose mixture weight pi_k exceeds `floor`. */
  readonly aboveFloor: number;
  readonly floor: number;
  /** The fewest components whose summed mean posterior q(c | x) over the rows reaches `mass`. */
  readonly holdingMass: number;
  readonly mass: number;
  /** Rows the posterior mass was measured on. */
  readonly rows: number;
}

export interface ComponentsInUseOptions {
  readonly floor?: number;
  readonly mass?: number;
  /** Measure on at most this many rows (the first ones), to keep it cheap on big sets. */
  readonly maxRows?: number;
}

/** Null for a model without a discrete latent. */
export function componentsInUse(
  model: DetectorModel,
  encoder: FlowEncoder,
  table: FlowTable,
  options: ComponentsInUseOptions = {},
): ComponentsInUse | null {
  if (!(model instanceof CategoricalVae) || model.spec.architecture.latent.kind === 'gaussian')
    return null;
  const { floor = 0.01, mass = 0.99, maxRows = 50_000 } = options;
  const k = model.components;
  const weights = model.mixtureWeights();
  const aboveFloor = weights.filter((w) => w > floor).length;
  const rows = Math.min(table.length, maxRows);
  const totals = new Float64Array(k);
  const builder = new MultiHotBuilder(encoder);
  for (let start = 0; start < rows; start += 4096) {
    const count = Math.min(4096, rows - start);
    const q = model.posterior(builder.rows(table.codes, null, start, count));
    for (let i = 0; i < q.length; i++) totals[i % k]! += q[i]!;
  }
  return { components: k, aboveFloor, floor, holdingMass: fewestHolding(totals, mass), mass, rows };
}

/** The fewest entries of `totals` (non-negative) whose sum reaches `share` of the whole. */
export function fewestHolding(totals: Float64Array, share: number): number {
  const sorted = [...totals].sort((a, b) => b - a);
  const whole = sorted.reduce((a, b) => a + b, 0);
  if (whole <= 0) return 0;
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) {
    sum += sorted[i]!;
    if (sum >= share * whole) return i + 1;
  }
  return sorted.length;
}

/** One line for people: "components in use: 5 of 32 above 1% weight, 4 hold 99% of the posterior mass". */
export function describeComponentsInUse(used: ComponentsInUse): string {
  return `components in use: ${used.aboveFloor} of ${used.components} above ${used.floor * 100}% weight, ${used.holdingMass} hold ${used.mass * 100}% of the posterior mass (${used.rows} rows)`;
}
