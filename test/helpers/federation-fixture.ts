/** Keys, configs and synthetic site data for federation tests over real gRPC on loopback. */
import { join } from 'node:path';
import { participate } from '../../client/agent/participation.js';
import { type SiteSettings, SiteWorker } from '../../client/agent/site-worker.js';
import { CoordinatorConnection } from '../../client/transport/coordinator-connection.js';
import {
  type CoordinatorConfig,
  loadCoordinatorConfig,
} from '../../shared/config/federation-config.js';
import { generateIdentity, type Identity, publicIdentity } from '../../shared/crypto/identity.js';
import { writeIdentityFiles } from '../../shared/crypto/key-files.js';
import type { GlobalModel } from '../../shared/federation/global-model.js';
import { type OrganisationProfile, writeSyntheticConnLog } from '../../shared/flows/synth/index.js';

export interface FederationFixture {
  readonly coordinator: Identity;
  readonly sites: { identity: Identity; file: string }[];
  config(overrides?: Record<string, unknown>): CoordinatorConfig;
}

export async function federationFixture(
  dir: string,
  profiles: OrganisationProfile[],
  flows = 3000,
): Promise<FederationFixture> {
  const coordinator = generateIdentity('coordinator', 'coordinator');
  writeIdentityFiles(join(dir, 'keys'), coordinator);
  const sites: { identity: Identity; file: string }[] = [];
  for (const [i, profile] of profiles.entries()) {
    const identity = generateIdentity('client', `site-${i + 1}`);
    writeIdentityFiles(join(dir, 'keys'), identity);
    const file = join(dir, `site-${i + 1}.log`);
    await writeSyntheticConnLog(file, { profile, flows, seed: 100 + i });
    sites.push({ identity, file });
  }
  return {
    coordinator,
    sites,
    config: (overrides = {}) =>
      loadCoordinatorConfig(undefined, {
        privateKey: join(dir, 'keys', 'coordinator.private.json'),
        clients: sites.map((s) => join(dir, 'keys', `${s.identity.name}.public.json`)),
        stateDir: join(dir, 'coordinator-state'),
        'listen.port': 0,
        // Loopback tests run plaintext; TLS has its own tests (test/integration/tls.test.ts).
        'tls.enabled': false,
        'data.format': 'zeek',
        'federation.rounds': 2,
        'federation.epochs': 1,
        'federation.minClients': profiles.length,
        'federation.roundTimeoutSeconds': 60,
        'federation.waitForClientsSeconds': 60,
        'federation.minRecords': 5,
        'transport.heartbeatSeconds': 1,
        'model.hidden': 32,
        'model.components': 8,
        ...overrides,
      }),
  };
}

/** `id`: the site's client id, which secure aggregation needs (its key's fingerprint). */
export function siteWorker(file: string, seed: number, id?: string): SiteWorker {
  const settings: SiteSettings = {
    ...(id ? { id } : {}),
    selection: { files: [file], format: 'zeek', onlyLabel: null, read: {} },
    shares: { validation: 0.1, calibration: 0.1, seed },
    seed,
  };
  return new SiteWorker(settings);
}

/**
 * Every site of `fixture` taking part through the coordinator on `port` until its federation
 * job ends: their final models. `log` gets each site's lines with its name.
 */
export function siteAgents(
  fixture: FederationFixture,
  port: number,
  log: (line: string) => void = () => {},
): Promise<GlobalModel | null>[] {
  return fixture.sites.map((site, i) =>
    participate({
      connection: new CoordinatorConnection(
        `127.0.0.1:${port}`,
        site.identity,
        publicIdentity(fixture.coordinator),
      ),
      worker: siteWorker(site.file, i + 1),
      reconnect: { initialMs: 50, maxMs: 400 },
      log: (line) => log(`${site.identity.name}: ${line}`),
    }),
  );
}

export { publicIdentity };
