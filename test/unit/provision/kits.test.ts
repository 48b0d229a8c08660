import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { addSiteKit } from '../../../cli/provision/add-site.js';
import { parseConsortiumDescription } from '../../../cli/provision/description.js';
import { provisionKits } from '../../../cli/provision/kits.js';
import { readAllowList } from '../../../coordinator/enrolment/signed-allow-list.js';
import {
  loadClientConfig,
  loadCoordinatorConfig,
} from '../../../shared/config/federation-config.js';
import { generateIdentity } from '../../../shared/crypto/identity.js';
import {
  loadPrivateIdentity,
  loadPublicIdentity,
  writeIdentityFiles,
} from '../../../shared/crypto/key-files.js';
import { createCertificateRequest } from '../../../shared/tls/certificate-requests.js';
import { loadTlsFiles } from '../../../shared/tls/tls-files.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

const describeConsortium = (extra: Record<string, unknown> = {}) =>
  parseConsortiumDescription(
    {
      name: 'test consortium',
      coordinator: { address: 'fl.example.org:7700', federation: { rounds: 3 } },
      sites: [{ name: 'site-a', files: ['/data/a.log'] }, 'site-b'],
      ...extra,
    },
    'c.yaml',
  );

describe('startup kits', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-kits-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a kit per party with its own private key only, and the CA key in none', async () => {
    const kits = await provisionKits(describeConsortium(), join(dir, 'kits'));
    expect(readdirSync(kits.out).sort()).to.deep.equal([
      'auditor',
      'ca',
      'consortium.json',
      'coordinator',
      'site-a',
      'site-b',
    ]);
    expect(filesUnder(kits.coordinator)).to.include.members([
      'coordinator.json',
      'keys/coordinator.private.json',
      'allow-list.json',
      'start.sh',
      'README.md',
      'tls/ca.crt',
      'tls/coordinator.crt',
      'tls/coordinator.key',
    ]);
    for (const [kit, own] of [
      [kits.coordinator, 'coordinator'],
      [kits.sites[0]!, 'site-a'],
      [kits.sites[1]!, 'site-b'],
      [kits.auditor, null],
    ] as const) {
      const secrets = filesUnder(kit).filter((f) => f.includes('private') || f.endsWith('.key'));
      expect(secrets, kit).to.deep.equal(own ? [`keys/${own}.private.json`, `tls/${own}.key`] : []);
      for (const secret of secrets)
        expect(statSync(join(kit, secret)).mode & 0o777).to.equal(0o600);
    }
    expect(filesUnder(kits.auditor)).to.deep.equal([
      'README.md',
      'keys/coordinator.public.json',
      'keys/site-a.public.json',
      'keys/site-b.public.json',
    ]);
    expect(filesUnder(kits.ca)).to.deep.equal(['ca.crt', 'ca.key']);
  });

  it('writes configs whose relative paths hold where each kit lands, after it is moved', async () => {
    const kits = await provisionKits(describeConsortium(), join(dir, 'kits'));
    const moved = join(dir, 'elsewhere', 'site-a');
    mkdirSync(join(dir, 'elsewhere'));
    renameSync(kits.sites[0]!, moved);
    const site = loadClientConfig(join(moved, 'client.json'));
    expect(site.name).to.equal('site-a');
    expect(site.coordinator.address).to.equal('fl.example.org:7700');
    expect(site.data.files).to.deep.equal(['/data/a.log']);
    expect(loadPrivateIdentity(site.privateKey).name).to.equal('site-a');
    expect(loadPublicIdentity(site.coordinator.publicKey).role).to.equal('coordinator');
    expect(
      loadTlsFiles({ ca: site.tls.ca, cert: site.tls.cert, key: site.tls.key }).certPem,
    ).to.include('BEGIN CERTIFICATE');
    const coordinator = loadCoordinatorConfig(join(kits.coordinator, 'coordinator.json'));
    expect(coordinator.federation.rounds).to.equal(3);
    expect(coordinator.listen).to.deep.equal({ host: '0.0.0.0', port: 7700 });
    const coordinatorKey = loadPublicIdentity(site.coordinator.publicKey).signPublicKey;
    const allowed = readAllowList(coordinator.allowListFile, coordinatorKey);
    expect(allowed.serial).to.equal(1);
    expect(allowed.sites.map((s) => s.name)).to.deep.equal(['site-a', 'site-b']);
    expect(coordinator.stateDir).to.equal(join(kits.coordinator, 'state'));
  });

  it('issues the coordinator a certificate for the address the sites dial', async () => {
    const kits = await provisionKits(describeConsortium(), join(dir, 'kits'));
    const { X509Certificate } = await import('node:crypto');
    const cert = new X509Certificate(
      readFileSync(join(kits.coordinator, 'tls', 'coordinator.crt')),
    );
    expect(cert.subjectAltName).to.equal('DNS:fl.example.org');
    expect(
      cert.verify(new X509Certificate(readFileSync(join(kits.ca, 'ca.crt'))).publicKey),
    ).to.equal(true);
  });

  it('writes no TLS files when TLS is off, and says so in the configs', async () => {
    const kits = await provisionKits(describeConsortium({ tls: false }), join(dir, 'kits'));
    expect(existsSync(kits.ca)).to.equal(false);
    expect(existsSync(join(kits.coordinator, 'tls'))).to.equal(false);
    expect(loadClientConfig(join(kits.sites[1]!, 'client.json')).tls.enabled).to.equal(false);
  });

  it('refuses a folder that is not empty, leaving what is in it alone', async () => {
    const out = join(dir, 'kits');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'mine');
    let error: Error | null = null;
    await provisionKits(describeConsortium(), out).catch((e: Error) => {
      error = e;
    });
    expect(String(error)).to.include(`${out} is not empty`);
    expect(readdirSync(out)).to.deep.equal(['keep.txt']);
  });

  it('refuses a coordinator setting its own schema refuses, leaving no folder behind', async () => {
    const out = join(dir, 'kits');
    const d = describeConsortium({
      coordinator: { address: 'h.example:1', federation: { rounds: 'many' } },
    });
    let error: Error | null = null;
    await provisionKits(d, out).catch((e: Error) => {
      error = e;
    });
    expect(String(error)).to.match(
      /coordinator\.json this description gives is refused: .*federation\.rounds/,
    );
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it('adds a kit for a site that joins later, from the same CA and coordinator key, and refuses a taken name', async () => {
    const kits = await provisionKits(describeConsortium(), join(dir, 'kits'));
    const kit = await addSiteKit(kits.out, { name: 'site-d', files: ['/d.log'], format: 'zeek' });
    const site = loadClientConfig(join(kit, 'client.json'));
    expect(site.coordinator.address).to.equal('fl.example.org:7700');
    expect(loadPublicIdentity(site.coordinator.publicKey).signPublicKey).to.deep.equal(
      loadPublicIdentity(join(kits.coordinator, 'keys', 'coordinator.public.json')).signPublicKey,
    );
    const { X509Certificate } = await import('node:crypto');
    const ca = new X509Certificate(readFileSync(join(kits.ca, 'ca.crt')));
    expect(new X509Certificate(readFileSync(site.tls.cert)).verify(ca.publicKey)).to.equal(true);
    expect(filesUnder(kits.auditor)).to.include('keys/site-d.public.json');
    const kept = JSON.parse(readFileSync(join(kits.out, 'consortium.json'), 'utf8'));
    expect(kept.sites.map((s: { name: string }) => s.name)).to.deep.equal([
      'site-a',
      'site-b',
      'site-d',
    ]);
    for (const taken of ['site-a', 'site-d', 'coordinator', 'auditor']) {
      let error: Error | null = null;
      await addSiteKit(kits.out, { name: taken, files: [], format: 'zeek' }).catch((e: Error) => {
        error = e;
      });
      expect(String(error), taken).to.include(`${taken} is taken`);
    }
  });

  it('takes a site’s own public key and certificate request, so its private keys never pass through', async () => {
    const home = join(dir, 'site-c-home');
    const own = generateIdentity('client', 'site-c');
    const ownKeys = writeIdentityFiles(join(home, 'keys'), own);
    const { csrPem, keyPem } = await createCertificateRequest('site-c');
    writeFileSync(join(home, 'site-c.csr'), csrPem);
    const d = parseConsortiumDescription(
      {
        coordinator: { address: 'fl.example.org:7700' },
        sites: [
          'site-a',
          {
            name: 'site-c',
            publicKey: 'site-c-home/keys/site-c.public.json',
            csr: 'site-c-home/site-c.csr',
          },
        ],
      },
      'c.yaml',
      dir,
    );
    const kits = await provisionKits(d, join(dir, 'kits'));
    const kit = kits.sites[1]!;
    expect(
      filesUnder(kit).filter((f) => f.includes('private') || f.endsWith('.key')),
    ).to.deep.equal([]);
    expect(readFileSync(join(kit, 'README.md'), 'utf8')).to.include(
      'No private key: this site keeps its own',
    );
    const allowed = readAllowList(
      join(kits.coordinator, 'allow-list.json'),
      loadPublicIdentity(join(kits.coordinator, 'keys', 'coordinator.public.json')).signPublicKey,
    );
    expect(allowed.sites.find((s) => s.name === 'site-c')!.signPublicKey).to.deep.equal(
      own.signPublicKey,
    );
    // The site adds its own keys and the kit is whole: the certificate is for its key.
    copyFileSync(ownKeys.privatePath, join(kit, 'keys', 'site-c.private.json'));
    writeFileSync(join(kit, 'tls', 'site-c.key'), keyPem, { mode: 0o600 });
    const site = loadClientConfig(join(kit, 'client.json'));
    expect(loadPrivateIdentity(site.privateKey).name).to.equal('site-c');
    expect(
      loadTlsFiles({ ca: site.tls.ca, cert: site.tls.cert, key: site.tls.key }).certPem,
    ).to.include('BEGIN CERTIFICATE');
  });

  it('refuses a site’s own key of another name, and a request without its key', async () => {
    const home = join(dir, 'home');
    writeIdentityFiles(home, generateIdentity('client', 'site-x'));
    const describeOwn = (site: Record<string, unknown>) =>
      parseConsortiumDescription(
        { coordinator: { address: 'h.example:1' }, sites: [site] },
        'c.yaml',
        dir,
      );
    let error: Error | null = null;
    await provisionKits(
      describeOwn({ name: 'site-c', publicKey: 'home/site-x.public.json', csr: 'none.csr' }),
      join(dir, 'k1'),
    ).catch((e: Error) => {
      error = e;
    });
    expect(String(error)).to.match(
      /site-x\.public\.json: a client key named site-x, not site site-c's/,
    );
    expect(() => describeOwn({ name: 'site-c', publicKey: 'home/site-x.public.json' })).to.throw(
      /c\.yaml: sites\[0\]\.csr: missing/,
    );
  });

  it('adds a later site that keeps its own keys, with no private key in its kit', async () => {
    const kits = await provisionKits(describeConsortium(), join(dir, 'kits'));
    const home = join(dir, 'site-e-home');
    writeIdentityFiles(home, generateIdentity('client', 'site-e'));
    const { csrPem } = await createCertificateRequest('site-e');
    writeFileSync(join(home, 'site-e.csr'), csrPem);
    const own = { publicKey: join(home, 'site-e.public.json'), csr: join(home, 'site-e.csr') };
    const kit = await addSiteKit(kits.out, { name: 'site-e', files: [], format: 'zeek', own });
    expect(
      filesUnder(kit).filter((f) => f.includes('private') || f.endsWith('.key')),
    ).to.deep.equal([]);
    expect(filesUnder(kit)).to.include.members([
      'keys/site-e.public.json',
      'tls/site-e.crt',
      'tls/ca.crt',
    ]);
    expect(filesUnder(kits.auditor)).to.include('keys/site-e.public.json');
    let error: Error | null = null;
    await addSiteKit(kits.out, {
      name: 'site-f',
      files: [],
      format: 'zeek',
      own: { ...own, csr: null },
    }).catch((e: Error) => {
      error = e;
    });
    expect(String(error)).to.include(
      '--csr: with TLS a site that keeps its own key sends its certificate request',
    );
  });
});
