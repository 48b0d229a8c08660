/**
 * The throw-away consortium of a simulation: keys for the coordinator and every site, a CA
 * and certificates for mutual TLS, and each party's config file, written under one directory.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDashboardToken } from '../../coordinator/http/bearer-token.js';
import { generateIdentity } from '../../shared/crypto/identity.js';
import { writeIdentityFiles } from '../../shared/crypto/key-files.js';
import { writeCertificateFiles } from '../../shared/tls/certificate-files.js';
import {
  type CertificateBundle,
  createCa,
  issueCertificate,
} from '../../shared/tls/certificates.js';
import { type SimulationData, siteSeed } from './site-data.js';

/** What a simulation asks of the federation; anything unset is the coordinator's default. */
export interface FederationRequest {
  readonly clients: number;
  readonly rounds?: number;
  readonly localSteps?: number;
  readonly epochs?: number;
  readonly strategy?: string;
  readonly screening?: string;
  /** Train by secure aggregation (screening then 'none': it needs each site's delta). */
  readonly secureAggregation?: boolean;
  readonly seed: number;
}

/** The strategy and secure aggregation settings a simulation asked for (none: the defaults). */
function strategyAsked(options: FederationRequest) {
  const { strategy, screening, secureAggregation } = options;
  // Secure aggregation needs no screening: each site's delta is hidden from the coordinator.
  const method = screening ?? (secureAggregation ? 'none' : undefined);
  return {
    ...(strategy || method
      ? {
          strategy: {
            ...(strategy ? { name: strategy } : {}),
            ...(method ? { screening: { method } } : {}),
          },
        }
      : {}),
    ...(secureAggregation ? { secureAggregation: { enabled: true } } : {}),
  };
}

export interface Consortium {
  readonly coordinatorDir: string;
  readonly coordinatorConfig: string;
  /** One client config file per site, in site order. */
  readonly siteConfigs: readonly string[];
  readonly dashboardToken: string;
}

/** Writes the consortium's keys, certificates and configs under `dir`. */
export async function provisionConsortium(
  dir: string,
  options: FederationRequest,
  data: SimulationData,
): Promise<Consortium> {
  const coordinatorDir = join(dir, 'coordinator');
  const coordinator = generateIdentity('coordinator', 'coordinator');
  const coordinatorKeys = writeIdentityFiles(join(coordinatorDir, 'keys'), coordinator, {
    overwrite: true,
  });
  // A throw-away CA per run: the simulation exercises mutual TLS like a real consortium.
  const tlsDir = join(dir, 'tls');
  const ca = await createCa('fedflow simulate CA (throw-away)', 2);
  writeCertificateFiles(tlsDir, 'ca', ca, { overwrite: true });
  const serverCert = await issueCertificate(ca, {
    commonName: 'coordinator',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    role: 'server',
    validDays: 1,
  });
  const serverFiles = writeCertificateFiles(
    join(coordinatorDir, 'tls'),
    'coordinator',
    serverCert,
    { overwrite: true },
  );
  const caFile = join(tlsDir, 'ca.crt');
  const { siteConfigs, allowList } = await provisionSites(dir, options, data, {
    ca,
    caFile,
    coordinatorPublicKey: coordinatorKeys.publicPath,
  });
  const coordinatorConfig = join(coordinatorDir, 'coordinator.json');
  const dashboardToken = generateDashboardToken();
  writeFileSync(
    coordinatorConfig,
    JSON.stringify(
      {
        privateKey: coordinatorKeys.privatePath,
        clients: allowList,
        stateDir: join(coordinatorDir, 'state'),
        listen: { host: '127.0.0.1', port: 0 },
        data: { format: data.format },
        // Only what was asked for: everything else is the coordinator's default.
        federation: {
          ...(options.rounds === undefined ? {} : { rounds: options.rounds }),
          ...(options.epochs === undefined ? {} : { epochs: options.epochs, localSteps: 0 }),
          ...(options.localSteps === undefined ? {} : { localSteps: options.localSteps }),
          minClients: options.clients,
          seed: options.seed,
          roundTimeoutSeconds: 600,
          waitForClientsSeconds: 120,
          minRecords: 5,
        },
        ...strategyAsked(options),
        transport: { heartbeatSeconds: 2 },
        tls: {
          ca: caFile,
          cert: serverFiles.certPath,
          key: serverFiles.keyPath,
          requireClientCert: true,
        },
        // The demo shows the operator's dashboard (off by default elsewhere), behind a fresh token.
        dashboard: { enabled: true, port: 0, token: dashboardToken },
      },
      null,
      2,
    ),
  );

  return { coordinatorDir, coordinatorConfig, siteConfigs, dashboardToken };
}

/** Each site's keys, certificate and client config; the public keys form the allow-list. */
async function provisionSites(
  dir: string,
  options: FederationRequest,
  data: SimulationData,
  trust: { ca: CertificateBundle; caFile: string; coordinatorPublicKey: string },
): Promise<{ siteConfigs: string[]; allowList: string[] }> {
  const { ca, caFile } = trust;
  const siteConfigs: string[] = [];
  const allowList: string[] = [];
  for (let i = 0; i < options.clients; i++) {
    const siteDir = join(dir, `site-${i + 1}`);
    const identity = generateIdentity('client', `site-${i + 1}`);
    const keys = writeIdentityFiles(join(siteDir, 'keys'), identity, { overwrite: true });
    allowList.push(keys.publicPath);
    const siteCert = writeCertificateFiles(
      join(siteDir, 'tls'),
      identity.name,
      await issueCertificate(ca, { commonName: identity.name, role: 'client', validDays: 1 }),
      { overwrite: true },
    );
    const config = join(siteDir, 'client.json');
    writeFileSync(
      config,
      JSON.stringify(
        {
          name: identity.name,
          privateKey: keys.privatePath,
          coordinator: { publicKey: trust.coordinatorPublicKey },
          stateDir: siteDir,
          data: { files: data.siteFiles[i], format: data.format, onlyLabel: data.onlyLabel },
          training: { seed: siteSeed(options.seed, i) },
          tls: {
            ca: caFile,
            cert: siteCert.certPath,
            key: siteCert.keyPath,
            serverName: 'localhost',
          },
          audit: { keepPlaintext: true },
        },
        null,
        2,
      ),
    );
    siteConfigs.push(config);
  }
  return { siteConfigs, allowList };
}
