/**
 * Settings of the two federated roles, validated by convict with messages that name the key.
 * Precedence: defaults < config file < environment (FEDFLOW_*) < command-line flags. Relative
 * paths in a config file are relative to that file.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import convict from 'convict';
import { MAX_SKETCH_ROWS } from '../federation/encoder-round.js';
import { LOCAL_TRAINING_LIMITS } from '../federation/messages.js';
import { FLOW_FORMATS } from '../flows/formats.js';
import { modelConfigSchema } from './model-config.js';
import { strategyConfigSchema } from './strategy-config.js';

const positive = (name: string, integer: boolean) => (value: unknown) => {
  if (typeof value !== 'number' || !(value > 0) || (integer && !Number.isInteger(value))) {
    throw new Error(
      `${name} must be a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(value)}`,
    );
  }
};
/** A number in [min, max] (an integer when asked): a published local training setting. */
const within = (name: string, min: number, max: number, integer: boolean) => (value: unknown) => {
  if (
    typeof value !== 'number' ||
    !(value >= min && value <= max) ||
    (integer && !Number.isInteger(value))
  ) {
    throw new Error(
      `${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got ${JSON.stringify(value)}`,
    );
  }
};
const stringList = (name: string) => (value: unknown) => {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw new Error(`${name} must be a list of strings, got ${JSON.stringify(value)}`);
};

/** The PEM files both roles name in their `tls` section (see docs/tls.md). */
const tlsFiles = {
  ca: {
    doc: 'PEM file of the consortium CA that signed the peer certificates',
    format: String,
    default: '',
  },
  cert: { doc: 'PEM certificate file of this party', format: String, default: '' },
  key: { doc: 'PEM private key file of this party (mode 0600)', format: String, default: '' },
};

export const coordinatorConfigSchema = {
  backend: modelConfigSchema.backend,
  listen: {
    host: {
      doc: 'Address to listen on',
      format: String,
      default: '127.0.0.1',
      env: 'FEDFLOW_LISTEN_HOST',
    },
    port: {
      doc: 'Port to listen on (0 = any free port)',
      format: 'port',
      default: 7700,
      env: 'FEDFLOW_LISTEN_PORT',
    },
  },
  stateDir: {
    doc: 'Directory for the journal, model checkpoints and enrolments',
    format: String,
    default: 'coordinator-state',
    env: 'FEDFLOW_STATE_DIR',
  },
  privateKey: {
    doc: "The coordinator's private key file (fedflow keys --role coordinator)",
    format: String,
    default: 'keys/coordinator.private.json',
  },
  clients: {
    doc: 'Allow-list: public key files of the clients that may enrol',
    format: stringList('clients'),
    default: [] as string[],
  },
  data: {
    format: {
      doc: 'Flow format every site reads (fixes the model fields)',
      format: [...FLOW_FORMATS],
      default: 'zeek',
    },
    csvSchema: { doc: "Column mapping for format 'csv'", format: String, default: '' },
  },
  federation: {
    rounds: { doc: 'Training rounds', format: positive('federation.rounds', true), default: 5 },
    epochs: {
      doc: 'Local epochs per round, when localSteps is 0',
      format: within('federation.epochs', 1, LOCAL_TRAINING_LIMITS.epochs, true),
      default: 2,
    },
    localSteps: {
      doc: 'Optimiser steps each site takes per round, the same at every site whatever its size (0 = train epochs epochs instead)',
      format: within('federation.localSteps', 0, LOCAL_TRAINING_LIMITS.localSteps, true),
      default: 100,
    },
    batchSize: {
      doc: 'Flows per mini-batch in local training (published to the sites)',
      format: within('federation.batchSize', 1, LOCAL_TRAINING_LIMITS.batchSize, true),
      default: 512,
    },
    learningRate: {
      doc: 'Adam learning rate of local training (published to the sites)',
      format: positive('federation.learningRate', false),
      default: 0.004,
    },
    replayShare: {
      doc: 'Share of local training flows sampled from the global model (generative replay, from round 2 on) so sites keep what it knows of the others; 0 = off',
      format: within('federation.replayShare', 0, LOCAL_TRAINING_LIMITS.replayShare, false),
      default: 0.7,
    },
    keepOptimizerState: {
      doc: 'Sites keep their Adam moments across rounds instead of starting each round afresh',
      format: Boolean,
      default: true,
    },
    minClients: {
      doc: 'Fewest clients a round starts and closes with',
      format: positive('federation.minClients', true),
      default: 2,
    },
    quorum: {
      doc: 'Results that close a round early: a fraction (0-1] of selected clients or a count (> 1)',
      format: positive('federation.quorum', false),
      default: 1,
    },
    roundTimeoutSeconds: {
      doc: 'Round deadline',
      format: positive('federation.roundTimeoutSeconds', false),
      default: 600,
    },
    waitForClientsSeconds: {
      doc: 'How long to wait for minClients to connect',
      format: positive('federation.waitForClientsSeconds', false),
      default: 3600,
    },
    minSites: {
      doc: 'k-anonymity: sites that must report a categorical value to keep it',
      format: positive('federation.minSites', true),
      default: 2,
    },
    minRecords: {
      doc: 'k-anonymity: flows across sites that must carry a categorical value to keep it',
      format: positive('federation.minRecords', true),
      default: 10,
    },
    siteMinCategoryCount: {
      doc: 'Sites drop categorical values rarer than this from their sketch (never fewer than 3: a site keeps its own floor)',
      format: positive('federation.siteMinCategoryCount', true),
      default: 3,
    },
    maxSiteRows: {
      doc: "The most flows a site's encoder-round sketch may declare; a site claiming more is refused (its later example counts are capped by what it declared)",
      format: within('federation.maxSiteRows', 1, MAX_SKETCH_ROWS, true),
      default: 100_000_000,
    },
    seed: { doc: 'Seed of the initial global model', format: 'int', default: 1 },
  },
  strategy: strategyConfigSchema,
  encoder: modelConfigSchema.encoder,
  model: modelConfigSchema.model,
  thresholds: modelConfigSchema.thresholds,
  tls: {
    enabled: {
      doc: 'Serve gRPC over TLS (see docs/tls.md); off only on loopback demos',
      format: Boolean,
      default: true,
      env: 'FEDFLOW_TLS',
    },
    ...tlsFiles,
    requireClientCert: {
      doc: 'Mutual TLS: refuse clients without a certificate from the CA',
      format: Boolean,
      default: false,
    },
  },
  dashboard: {
    enabled: {
      doc: 'Serve the read-only operator dashboard, /api/status and /metrics',
      format: Boolean,
      default: false,
      env: 'FEDFLOW_DASHBOARD',
    },
    host: { doc: 'Dashboard address', format: String, default: '127.0.0.1' },
    port: { doc: 'Dashboard port (0 = any free port)', format: 'port', default: 7701 },
    token: {
      doc: 'Bearer token the dashboard requires (needed when enabled)',
      format: String,
      default: '',
      env: 'FEDFLOW_DASHBOARD_TOKEN',
      sensitive: true,
    },
  },
  audit: {
    keepPlaintext: {
      doc: 'Keep a copy of every received plaintext payload beside the ingress log',
      format: Boolean,
      default: false,
    },
  },
  transport: {
    heartbeatSeconds: {
      doc: 'Heartbeat interval on task streams',
      format: positive('transport.heartbeatSeconds', false),
      default: 10,
    },
    reattachSeconds: {
      doc: 'How long a client whose task stream closed keeps its open tasks, to reconnect or restart',
      format: positive('transport.reattachSeconds', false),
      default: 60,
    },
    maxPayloadBytes: {
      doc: 'Largest result a client may submit',
      format: positive('transport.maxPayloadBytes', true),
      default: 256 * 1024 * 1024,
    },
  },
};

export const clientConfigSchema = {
  backend: modelConfigSchema.backend,
  name: {
    doc: "This site's name (for logs)",
    format: String,
    default: 'site',
    env: 'FEDFLOW_SITE_NAME',
  },
  coordinator: {
    address: {
      doc: 'host:port of the coordinator',
      format: String,
      default: '127.0.0.1:7700',
      env: 'FEDFLOW_COORDINATOR',
    },
    publicKey: {
      doc: "The coordinator's public key file (trusted signer of models)",
      format: String,
      default: 'keys/coordinator.public.json',
    },
  },
  privateKey: {
    doc: "This site's private key file (fedflow keys --role client)",
    format: String,
    default: 'keys/site.private.json',
  },
  stateDir: {
    doc: "Directory for this site's logs and received models",
    format: String,
    default: 'site-state',
    env: 'FEDFLOW_STATE_DIR',
  },
  data: {
    files: { doc: 'Local flow files', format: stringList('data.files'), default: [] as string[] },
    format: { doc: 'Flow format', format: [...FLOW_FORMATS], default: 'zeek' },
    csvSchema: { doc: "Column mapping for format 'csv'", format: String, default: '' },
    onlyLabel: {
      doc: 'Train only on rows with this label (empty = all rows)',
      format: String,
      default: '',
    },
  },
  training: modelConfigSchema.training,
  personalise: {
    epochs: {
      doc: "After the federation, fine-tune the final global model on this site's flows for at most this many epochs and save it as STATE_DIR/model-personalised, thresholds re-placed on its own calibration split (0 = off)",
      format: 'nat',
      default: 0,
    },
  },
  input: modelConfigSchema.input,
  tls: {
    enabled: {
      doc: 'Connect over TLS (see docs/tls.md); off only on loopback demos',
      format: Boolean,
      default: true,
      env: 'FEDFLOW_TLS',
    },
    ...tlsFiles,
    serverName: {
      doc: "Name to check the coordinator's certificate against, when it differs from the address",
      format: String,
      default: '',
    },
  },
  audit: {
    keepPlaintext: {
      doc: 'Keep a copy of every payload sent beside the egress log, for auditors to open',
      format: Boolean,
      default: true,
    },
  },
  metrics: {
    port: {
      doc: "Serve this site's Prometheus metrics on 127.0.0.1:PORT/metrics (-1 = off, 0 = any free port)",
      format: 'int',
      default: -1,
    },
  },
  reconnect: {
    initialMs: {
      doc: 'First reconnect delay',
      format: positive('reconnect.initialMs', true),
      default: 250,
    },
    maxMs: {
      doc: 'Longest reconnect delay (exponential backoff with jitter)',
      format: positive('reconnect.maxMs', true),
      default: 10_000,
    },
  },
};

const PATH_KEYS = [
  'stateDir',
  'privateKey',
  'clients',
  'data.csvSchema',
  'data.files',
  'coordinator.publicKey',
  'tls.ca',
  'tls.cert',
  'tls.key',
];

function load<S extends object>(
  schema: S,
  file: string | undefined,
  overrides: Record<string, unknown>,
) {
  const config = convict(schema);
  if (file) config.loadFile(file);
  for (const [key, value] of Object.entries(overrides))
    if (value !== undefined) config.set(key as never, value as never);
  config.validate({ allowed: 'strict' });
  const base = file ? dirname(resolve(file)) : process.cwd();
  const absolute = (p: string) => (p === '' || isAbsolute(p) ? p : resolve(base, p));
  for (const key of PATH_KEYS) {
    if (!config.has(key as never)) continue;
    const value = config.get(key as never) as unknown;
    config.set(
      key as never,
      (Array.isArray(value) ? value.map(absolute) : absolute(value as string)) as never,
    );
  }
  return config.getProperties();
}

// Types inferred from the schemas by convict.
const coordinatorConvict = () => convict(coordinatorConfigSchema);
const clientConvict = () => convict(clientConfigSchema);
export type CoordinatorConfig = ReturnType<ReturnType<typeof coordinatorConvict>['getProperties']>;
export type ClientConfig = ReturnType<ReturnType<typeof clientConvict>['getProperties']>;

export function loadCoordinatorConfig(
  file?: string,
  overrides: Record<string, unknown> = {},
): CoordinatorConfig {
  return load(coordinatorConfigSchema, file, overrides) as CoordinatorConfig;
}

export function loadClientConfig(
  file?: string,
  overrides: Record<string, unknown> = {},
): ClientConfig {
  return load(clientConfigSchema, file, overrides) as ClientConfig;
}
