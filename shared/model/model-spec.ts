/**
 * The model spec: everything besides the weight values that a site needs to use a model —
 * the flow schema it reads, the encoder, the architecture and the weight manifest.
 */
import type { EncoderSpec } from '../encoding/encoder-spec.js';
import type { FlowSchema } from '../flows/schema.js';

/** How a mixture latent trains: relaxed Gumbel-softmax samples, or the exact sum over components. */
export type MixtureObjective = 'gumbel-softmax' | 'exact';

export type LatentSpec =
  | { readonly kind: 'gaussian'; readonly dim: number }
  | {
      readonly kind: 'mixture';
      readonly components: number;
      /** Gumbel-softmax temperature, annealed from `start` to `end` during training. */
      readonly temperature: { readonly start: number; readonly end: number };
      /** How it trains (see vae.ts); recorded so every federated site trains it the same way. */
      readonly objective?: MixtureObjective;
    }
  | {
      /**
       * A truncated Dirichlet-process mixture: `components` (the truncation K) weighted by
       * stick-breaking weights learned from the data (stick-breaking.ts); trains on the exact
       * sum over components.
       */
      readonly kind: 'stick-breaking';
      readonly components: number;
      /** alpha of the Beta(1, alpha) prior on the stick lengths. */
      readonly concentration: number;
    };

/**
 * The sequence model's settings (kind 'gru'): how much of each source host's past it sees and
 * how wide its layers are. Recorded in the spec so scoring keeps the same per-host state.
 */
export interface SequenceSpec {
  /** Earlier flows of the same source host a flow is predicted from (H). */
  readonly steps: number;
  /** Width of a flow's embedding (a dense layer on its multi-hot row). */
  readonly embedding: number;
  /** Width of the GRU's state. */
  readonly state: number;
  /** Hosts whose history is kept at once while scoring a stream (least recently seen dropped). */
  readonly maxHosts: number;
  /** A host silent this long (seconds) starts with an empty history; null: never. */
  readonly gapSeconds: number | null;
}

export const DEFAULT_SEQUENCE: SequenceSpec = {
  steps: 8,
  embedding: 32,
  state: 64,
  maxHosts: 100_000,
  gapSeconds: 3600,
};

export interface ArchitectureSpec {
  /** Hidden layer widths of the encoder MLP; the decoder mirrors them. */
  readonly hidden: readonly number[];
  /** The VAE's latent (a gru records one but does not use it). */
  readonly latent: LatentSpec;
  /** Kind 'gru' only: its history and layer widths. */
  readonly sequence?: SequenceSpec;
}

/** One tensor inside the flat weight vector, in order (as tfjs `io` weight manifests). */
export interface WeightEntry {
  readonly name: string;
  readonly shape: readonly number[];
}

/**
 * The detector models fedflow has; the spec names its kind so every reader builds the same.
 * 'alad-gan' is a GAN baseline to compare the VAE with (docs/model.md), not the default;
 * 'gru' predicts each flow from its source host's previous flows (a sequence model).
 */
export const MODEL_KINDS = ['categorical-vae', 'alad-gan', 'gru'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export interface ModelSpec {
  readonly format: 'fedflow-model';
  readonly version: 1;
  /** Which model the weights belong to (specs from before kinds existed: 'categorical-vae'). */
  readonly kind: ModelKind;
  readonly schema: FlowSchema;
  readonly encoder: EncoderSpec;
  readonly architecture: ArchitectureSpec;
  readonly weights: readonly WeightEntry[];
}

export const DEFAULT_ARCHITECTURE: ArchitectureSpec = {
  hidden: [128],
  latent: { kind: 'gaussian', dim: 16 },
};

export function defaultLatent(kind: LatentSpec['kind']): LatentSpec {
  if (kind === 'stick-breaking') return { kind, components: 32, concentration: 1 };
  return kind === 'gaussian'
    ? { kind: 'gaussian', dim: 16 }
    : { kind: 'mixture', components: 32, temperature: { start: 1, end: 0.3 } };
}

/** Total number of parameters in the flat vector. */
export function parameterCount(weights: readonly WeightEntry[]): number {
  return weights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);
}
