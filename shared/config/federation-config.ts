/**
 * Settings of the two federated roles, validated by convict with messages that name the key.
 * Precedence: defaults < config file < environment (FEDFLOW_*) < command-line flags. Relative
 * paths in a config file are relative to that file.
 */
import convict from 'convict';
import { FLOW_FORMATS } from '../flows/formats.js';
import { lastConnectionsCount, positive, within } from './config-formats.js';
import { federationConfigSchema } from './federation-schema.js';
import { loadConfig as load } from './load-config.js';
import { modelConfigSchema } from './model-config.js';
import { privacyConfigSchema } from './privacy-schema.js';
import { secureAggregationConfigSchema } from './secure-aggregation-schema.js';
import { strategyConfigSchema } from './strategy-config.js';

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
  allowListFile: {
    doc: "Allow-list as a file signed by this coordinator's key (instead of clients), which fedflow admin enrol/revoke change while it runs",
    format: String,
    default: '',
  },
  data: {
    format: {
      doc: 'Flow format every site reads (fixes the model fields)',
      format: [...FLOW_FORMATS],
      default: 'zeek',
    },
    csvSchema: { doc: "Column mapping for format 'csv'", format: String, default: '' },
    trafficFeatures: {
      doc: "Sites derive per-host traffic features (part of the model's fields); every site's input.trafficFeatures must agree",
      format: Boolean,
      default: true,
    },
    lastConnections: {
      doc: "Sites also describe each host's last N connections (0 = off); every site's input.lastConnections must agree",
      format: lastConnectionsCount('data.lastConnections'),
      default: 0,
    },
  },
  federation: federationConfigSchema,
  strategy: strategyConfigSchema,
  privacy: privacyConfigSchema,
  secureAggregation: secureAggregationConfigSchema,
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
    uploadIdleSeconds: {
      doc: 'A result upload that sends nothing for this long is dropped, and its reserved bytes freed',
      format: positive('transport.uploadIdleSeconds', false),
      default: 60,
    },
    sessionIdleSeconds: {
      doc: 'A session unused for this long expires (the client enrols again); task streams renew every 15 minutes',
      // Longer than a task stream's 15 minutes, after which clients renew it.
      format: within('transport.sessionIdleSeconds', 900, 31_536_000, false),
      default: 3600,
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
    tlsAttempts: {
      doc: 'Connection attempts in a row that fail the TLS handshake (wrong CA, refused certificate, TLS off on one side) before the client gives up',
      format: positive('reconnect.tlsAttempts', true),
      default: 5,
    },
  },
};

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
