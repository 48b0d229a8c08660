import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { federationFixture } from '../helpers/federation-fixture.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A `fedflow` process whose stdout is collected; `exit` settles with its code. */
function fedflow(args: string[]) {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'cli', 'fedflow.ts'), ...args],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d) => {
    output.stdout += d;
  });
  child.stderr!.on('data', (d) => {
    output.stderr += d;
  });
  const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, output, exit };
}

describe("fedflow client with personalise.epochs: the site's own fine-tuned model", function () {
  this.timeout(240_000);
  let dir: string;
  const file = (name: string) => join(dir, name);
  const json = (path: string) => JSON.parse(readFileSync(file(path), 'utf8'));
  const writeJson = (name: string, value: object) =>
    writeFileSync(file(name), JSON.stringify(value));
  let clientOutputs: { stdout: string; stderr: string }[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-e2e-personalise-'));
    const fixture = await federationFixture(dir, ['web', 'mail-dns'], 2000);
    writeJson('coordinator.json', {
      privateKey: file('keys/coordinator.private.json'),
      clients: fixture.sites.map((s) => file(`keys/${s.identity.name}.public.json`)),
      stateDir: file('coordinator-state'),
      listen: { port: 0 },
      tls: { enabled: false },
      data: { format: 'zeek' },
      model: { hidden: 16, components: 8 },
      federation: { rounds: 1, localSteps: 5, minClients: 2, minRecords: 5 },
      transport: { heartbeatSeconds: 2 },
    });
    for (const [i, site] of fixture.sites.entries())
      writeJson(`${site.identity.name}.json`, {
        name: site.identity.name,
        coordinator: { publicKey: file('keys/coordinator.public.json') },
        privateKey: file(`keys/${site.identity.name}.private.json`),
        stateDir: file(`${site.identity.name}-state`),
        data: { files: [site.file], format: 'zeek' },
        training: { batchSize: 256 },
        tls: { enabled: false },
        personalise: { epochs: i === 0 ? 2 : 0 },
      });
    const coordinator = fedflow(['coordinator', '--config', file('coordinator.json')]);
    const port = await new Promise<number>((resolve, reject) => {
      coordinator.child.stdout!.on('data', () => {
        const found = /"event":"listening".*?"port":(\d+)/.exec(coordinator.output.stdout);
        if (found) resolve(Number(found[1]));
      });
      void coordinator.exit.then((code) => reject(new Error(`coordinator exited ${code}`)));
    });
    const clients = fixture.sites.map((s) =>
      fedflow([
        ...['client', '--config', file(`${s.identity.name}.json`)],
        ...['--coordinator', `127.0.0.1:${port}`],
      ]),
    );
    const codes = await Promise.all([coordinator, ...clients].map((p) => p.exit));
    clientOutputs = clients.map((c) => c.output);
    expect(codes, clientOutputs.map((o) => o.stderr).join('\n')).to.deep.equal([0, 0, 0]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('saves the personalised model beside the global one and prints both directories', () => {
    expect(clientOutputs[0]!.stdout.trim().split('\n')).to.deep.equal([
      file('site-1-state/model'),
      file('site-1-state/model-personalised'),
    ]);
    expect(json('site-1-state/model/thresholds.json').source).to.equal('federated-calibration');
    const tuned = json('site-1-state/model-personalised/thresholds.json');
    expect(tuned.source).to.equal('local-calibration');
    expect(tuned.targets.map((t: { fpr: number }) => t.fpr)).to.deep.equal([0.01, 0.001]);
  });

  it("records the global model's version, digest and directory as the origin", () => {
    const global = json('site-1-state/model/model.json');
    const tuned = json('site-1-state/model-personalised/model.json');
    const digest = json('site-1-state/model/integrity.json').files['weights.bin'];
    expect(global.metadata.sha256).to.equal(digest);
    expect(tuned.encoder).to.deep.equal(global.encoder);
    expect(tuned.metadata.origin).to.include({
      version: global.metadata.version,
      sha256: digest,
      dir: file('site-1-state/model'),
      weights: 'given',
    });
    expect(tuned.metadata.origin.epochs).to.be.within(1, 2);
    const published = json(`coordinator-state/models/v${global.metadata.version}/integrity.json`);
    expect(published.files['weights.bin']).to.equal(digest);
  });

  it('leaves a site without personalise.epochs with the global model only', () => {
    expect(clientOutputs[1]!.stdout.trim()).to.equal(file('site-2-state/model'));
    expect(existsSync(file('site-2-state/model-personalised'))).to.equal(false);
  });
});
