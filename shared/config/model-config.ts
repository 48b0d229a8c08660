/**
 * Settings for local model work (train/score/evaluate), validated by convict. Precedence:
 * defaults < config file (--config) < FEDFLOW_* environment variables < command-line flags.
 */
import convict from 'convict';
import { DEFAULT_ENCODER_FIT } from '../encoding/fit-encoder.js';
import {
  type ArchitectureSpec,
  DEFAULT_SEQUENCE,
  type MixtureObjective,
  MODEL_KINDS,
  type ModelKind,
} from '../model/model-spec.js';
import { TRAINING_DEFAULTS } from '../model/training-defaults.js';
import { BACKEND_CHOICES } from '../runtime/backend.js';
import { lastConnectionsCount } from './config-formats.js';

const positiveInt = (name: string) => (value: unknown) => {
  if (!Number.isInteger(value) || (value as number) <= 0)
    throw new Error(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
};
const share = (name: string, allowZero: boolean) => (value: unknown) => {
  const v = value as number;
  if (typeof v !== 'number' || !(allowZero ? v >= 0 : v > 0) || v >= 1)
    throw new Error(
      `${name} must be a number in ${allowZero ? '[0' : '(0'}, 1), got ${JSON.stringify(value)}`,
    );
};

export const modelConfigSchema = {
  backend: {
    doc: 'TensorFlow.js backend: auto, tensorflow, wasm or cpu',
    format: [...BACKEND_CHOICES],
    default: 'auto',
    env: 'FEDFLOW_BACKEND',
  },
  encoder: {
    minCategoryCount: {
      doc: 'Categorical values seen fewer times map to "other"',
      format: positiveInt('encoder.minCategoryCount'),
      default: DEFAULT_ENCODER_FIT.minCategoryCount,
      env: 'FEDFLOW_MIN_CATEGORY_COUNT',
    },
    maxVocabulary: {
      doc: 'Most values kept per categorical field',
      format: positiveInt('encoder.maxVocabulary'),
      default: DEFAULT_ENCODER_FIT.maxVocabulary,
    },
    numericBins: {
      doc: 'Quantile bins per numeric field',
      format: positiveInt('encoder.numericBins'),
      default: DEFAULT_ENCODER_FIT.numericBins,
    },
  },
  model: {
    kind: {
      doc: "Detector model kind: 'categorical-vae' (the default), 'alad-gan' (a GAN baseline; its latent is always a gaussian of model.latentDim) or 'gru' (a sequence model over each source host's flows: model.sequence)",
      format: [...MODEL_KINDS],
      default: 'categorical-vae',
      env: 'FEDFLOW_MODEL_KIND',
    },
    latent: {
      doc: 'Latent kind: gaussian, mixture (uniform weights) or stick-breaking (weights learned from the data)',
      format: ['gaussian', 'mixture', 'stick-breaking'],
      default: 'mixture',
      env: 'FEDFLOW_LATENT',
    },
    hidden: {
      doc: 'Hidden layer width of encoder and decoder',
      format: positiveInt('model.hidden'),
      default: 128,
    },
    latentDim: {
      doc: 'Gaussian latent dimension',
      format: positiveInt('model.latentDim'),
      default: 16,
    },
    components: {
      doc: 'Mixture components (mixture latent; the truncation K of a stick-breaking latent)',
      format: positiveInt('model.components'),
      default: 32,
    },
    concentration: {
      doc: 'Stick-breaking latent: alpha of the Beta(1, alpha) prior on the stick lengths (above 1 favours more components)',
      format: (v: unknown) => {
        if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v))
          throw new Error(
            `model.concentration must be a positive number, got ${JSON.stringify(v)}`,
          );
      },
      default: 1,
    },
    temperatureStart: {
      doc: 'Gumbel-softmax temperature at the first epoch',
      format: Number,
      default: 1,
    },
    mixtureObjective: {
      doc: "How the mixture latent trains: 'gumbel-softmax' (relaxed samples) or 'exact' (sum over components)",
      format: ['gumbel-softmax', 'exact'],
      default: 'exact',
    },
    temperatureEnd: {
      doc: 'Gumbel-softmax temperature at the last epoch',
      format: Number,
      default: 0.3,
    },
    sequence: {
      steps: {
        doc: 'gru: earlier flows of the same source host each flow is predicted from',
        format: positiveInt('model.sequence.steps'),
        default: DEFAULT_SEQUENCE.steps,
      },
      embedding: {
        doc: 'gru: width of a flow embedding',
        format: positiveInt('model.sequence.embedding'),
        default: DEFAULT_SEQUENCE.embedding,
      },
      state: {
        doc: 'gru: width of the GRU state',
        format: positiveInt('model.sequence.state'),
        default: DEFAULT_SEQUENCE.state,
      },
      maxHosts: {
        doc: 'gru: source hosts whose history a scoring stream keeps (least recently seen dropped)',
        format: positiveInt('model.sequence.maxHosts'),
        default: DEFAULT_SEQUENCE.maxHosts,
      },
      gapSeconds: {
        doc: 'gru: a host silent this many seconds starts with an empty history (null: never)',
        format: (v: unknown) => {
          if (v !== null && !(typeof v === 'number' && v > 0))
            throw new Error(
              `model.sequence.gapSeconds must be null or a positive number, got ${JSON.stringify(v)}`,
            );
        },
        default: DEFAULT_SEQUENCE.gapSeconds as number | null,
      },
    },
  },
  training: {
    epochs: {
      doc: 'Most epochs to train',
      format: positiveInt('training.epochs'),
      default: TRAINING_DEFAULTS.epochs,
      env: 'FEDFLOW_EPOCHS',
    },
    batchSize: {
      doc: 'Flows per mini-batch',
      format: positiveInt('training.batchSize'),
      default: TRAINING_DEFAULTS.batchSize,
    },
    learningRate: {
      doc: 'Adam learning rate',
      format: Number,
      default: TRAINING_DEFAULTS.learningRate,
    },
    klWarmupEpochs: {
      doc: 'Epochs over which the KL weight ramps to 1; null = by latent (gaussian 5, mixture 0: warm-up collapses a Gumbel-softmax mixture onto one component)',
      format: (v: unknown) => {
        if (v !== null && !(Number.isInteger(v) && (v as number) >= 0))
          throw new Error(
            `training.klWarmupEpochs must be null or a non-negative integer, got ${JSON.stringify(v)}`,
          );
      },
      default: null as number | null,
    },
    patience: {
      doc: 'Early stopping: epochs without validation improvement',
      format: positiveInt('training.patience'),
      default: TRAINING_DEFAULTS.patience,
    },
    seed: {
      doc: 'Random seed (same data + seed => same model on one backend)',
      format: 'int',
      default: TRAINING_DEFAULTS.seed,
      env: 'FEDFLOW_SEED',
    },
    validationShare: {
      doc: 'Share of training flows held out for early stopping',
      format: share('training.validationShare', false),
      default: 0.1,
    },
    calibrationShare: {
      doc: 'Share of training flows held out to place thresholds',
      format: share('training.calibrationShare', false),
      default: 0.1,
    },
  },
  thresholds: {
    targetFprs: {
      doc: 'Target false-positive rates for thresholds',
      format: (v: unknown) => {
        if (
          !Array.isArray(v) ||
          v.length === 0 ||
          v.some((x) => typeof x !== 'number' || !(x > 0 && x < 1))
        )
          throw new Error(
            `thresholds.targetFprs must be a non-empty list of numbers in (0, 1), got ${JSON.stringify(v)}`,
          );
      },
      default: [0.01, 0.001],
    },
  },
  input: {
    maxBadShare: {
      doc: 'Stop reading past this share of malformed rows',
      format: share('input.maxBadShare', true),
      default: 0.05,
    },
    trafficFeatures: {
      doc: 'Derive per-host traffic features (connections, peers, ports, failures per minute) where rows carry a timestamp and addresses (Zeek; CSV mappings with a context); a federation must agree with its coordinator (data.trafficFeatures)',
      format: Boolean,
      default: true,
    },
    lastConnections: {
      doc: "With traffic features, also describe each host's last N connections whatever their age (slow scans, patient brute force); 0 = off. Adds 9 fields; off by default (measured no better on the bench data sets, docs/model.md)",
      format: lastConnectionsCount('input.lastConnections'),
      default: 0,
    },
  },
  scoring: {
    importanceSamples: {
      doc: 'Importance samples for the score (0 = ELBO)',
      format: 'nat',
      default: 0,
    },
    topFields: { doc: 'Fields listed per alert line', format: 'nat', default: 3 },
  },
};

export type ModelConfig = ReturnType<ReturnType<typeof loadModelConfig>['getProperties']>;

/** Loads defaults, then `file` if given, then environment; throws naming the bad key. */
export function loadModelConfig(file?: string, overrides: Record<string, unknown> = {}) {
  const config = convict(modelConfigSchema);
  if (file) config.loadFile(file);
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) config.set(key as never, value as never);
  }
  config.validate({ allowed: 'strict' });
  return config;
}

/**
 * The model architecture the `model` settings describe. The mixture objective is part of it,
 * so a federation's sites train the latent the way the coordinator's config says.
 */
export function architectureFromConfig(model: ModelConfig['model']): ArchitectureSpec {
  return {
    hidden: [model.hidden],
    latent:
      model.latent === 'gaussian'
        ? { kind: 'gaussian', dim: model.latentDim }
        : model.latent === 'stick-breaking'
          ? {
              kind: 'stick-breaking',
              components: model.components,
              concentration: model.concentration,
            }
          : {
              kind: 'mixture',
              components: model.components,
              temperature: { start: model.temperatureStart, end: model.temperatureEnd },
              objective: model.mixtureObjective as MixtureObjective,
            },
  };
}

/**
 * The model kind and architecture the `model` settings describe. An alad-gan's prior is a
 * standard normal, so it takes a gaussian latent of `latentDim` whatever `latent` says (that
 * setting chooses the VAE's latent).
 */
export function modelFromConfig(model: ModelConfig['model']): {
  kind: ModelKind;
  architecture: ArchitectureSpec;
} {
  const kind = model.kind as ModelKind;
  if (kind === 'alad-gan')
    return {
      kind,
      architecture: { hidden: [model.hidden], latent: { kind: 'gaussian', dim: model.latentDim } },
    };
  if (kind === 'gru')
    return {
      kind,
      architecture: { ...architectureFromConfig(model), sequence: { ...model.sequence } },
    };
  return { kind, architecture: architectureFromConfig(model) };
}
