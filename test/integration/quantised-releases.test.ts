import { join } from 'node:path';
import { expect } from 'chai';
import { startCoordinator } from '../../cli/roles/coordinator.js';
import { participate } from '../../client/agent/participation.js';
import { CoordinatorConnection } from '../../client/transport/coordinator-connection.js';
import { AuditLogWriter } from '../../shared/audit/audit-log-writer.js';
import { auditFederation } from '../../shared/audit/audit-run.js';
import { coordinatorPerTest } from '../helpers/coordinator-per-test.js';
import {
  federationFixture,
  publicIdentity,
  siteAgents,
  siteWorker,
} from '../helpers/federation-fixture.js';

const quiet = () => {};

describe('quantised releases over gRPC', function () {
  this.timeout(240_000);
  const t = coordinatorPerTest('fedflow-releases-');

  it('gives every site bit for bit the coordinator models from 8-bit changes, and the audit logs still verify', async () => {
    const fixture = await federationFixture(t.dir, ['web', 'mail-dns']);
    const settings = {
      'federation.rounds': 3,
      'federation.updateBits': 8,
      'federation.releaseBits': 8,
      'audit.keepPlaintext': true,
    };
    t.coordinator = await startCoordinator(fixture.config(settings), quiet);
    const address = `127.0.0.1:${t.coordinator.port}`;
    const fetched: number[][] = fixture.sites.map(() => []);
    const published: number[] = [];
    const connections = fixture.sites.map((site) => {
      const egress = AuditLogWriter.open(
        join(t.dir, site.identity.name, 'audit', 'egress.jsonl'),
        site.identity,
        'egress',
        { keepPlaintext: true },
      );
      return new CoordinatorConnection(
        address,
        site.identity,
        publicIdentity(fixture.coordinator),
        {
          egress,
        },
      );
    });
    const models = await Promise.all(
      fixture.sites.map((site, i) =>
        participate({
          connection: Object.assign(Object.create(connections[i]!), {
            fetchModel: async (...args: Parameters<CoordinatorConnection['fetchModel']>) => {
              const before = connections[i]!.releaseBytes;
              const model = await connections[i]!.fetchModel(...args);
              fetched[i]!.push(connections[i]!.releaseBytes - before);
              published.push(model.version);
              // What the site rebuilt is what the coordinator holds for that version now.
              const mine = t.coordinator!.loop.current!;
              expect(model.version).to.equal(mine.version);
              expect(
                Buffer.from(model.weights.buffer).equals(Buffer.from(mine.weights.buffer)),
              ).to.equal(true);
              return model;
            },
          }) as CoordinatorConnection,
          worker: siteWorker(site.file, i + 1),
          reconnect: { initialMs: 50, maxMs: 500 },
          log: quiet,
        }),
      ),
    );
    const final = await t.coordinator.done;
    for (const model of models) {
      expect(model!.version).to.equal(final.version);
      expect(Buffer.from(model!.weights.buffer).equals(Buffer.from(final.weights.buffer))).to.equal(
        true,
      );
    }
    const raw = final.weights.length * 4;
    for (const sizes of fetched) {
      // v1 whole, v2-v4 as 8-bit changes, then v4 again with its thresholds only.
      expect(sizes).to.have.length(5);
      expect(sizes[0]).to.be.above(raw);
      for (const size of sizes.slice(1, 4)) expect(size).to.be.below(raw * 0.3);
      expect(sizes[4]).to.be.below(2_000);
    }
    for (const connection of connections) connection.close();
    const report = auditFederation([t.dir]);
    expect(report.findings.filter((f) => f.severity === 'error')).to.deep.equal([]);
    expect(report.siteLogs).to.have.length(2);
  });

  it('keeps its quantised release and residual across a coordinator restart, and the sites end bit for bit on its model', async () => {
    const fixture = await federationFixture(t.dir, ['web', 'internal']);
    const settings = { 'federation.rounds': 3, 'federation.releaseBits': 8 };
    const first = await startCoordinator(fixture.config(settings), quiet);
    const port = first.port;
    const agents = siteAgents(fixture, port);
    while (!first.loop.rounds.some((r) => r.kind === 'train' && r.outcome === 'closed'))
      await new Promise((r) => setTimeout(r, 20));
    const before = first.loop.current!;
    await first.stop();
    t.coordinator = await startCoordinator(
      fixture.config({ ...settings, 'listen.port': port }),
      quiet,
    );
    // The restarted coordinator holds the release it made, residual included, from disk.
    expect(t.coordinator.loop.current!.version).to.equal(before.version);
    expect(
      Buffer.from(t.coordinator.loop.current!.weights.buffer).equals(
        Buffer.from(before.weights.buffer),
      ),
    ).to.equal(true);
    expect(t.coordinator.loop.currentRelease?.baseVersion).to.equal(before.version - 1);
    const final = await t.coordinator.done;
    for (const model of await Promise.all(agents)) {
      expect(model!.version).to.equal(final.version);
      expect(Buffer.from(model!.weights.buffer).equals(Buffer.from(final.weights.buffer))).to.equal(
        true,
      );
    }
  });
});
