import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { applyAllowListFile } from '../../../cli/roles/follow-allow-list.js';
import { AllowList } from '../../../coordinator/enrolment/allow-list.js';
import { readAllowList, writeAllowList } from '../../../coordinator/enrolment/signed-allow-list.js';
import { Enrolment } from '../../../coordinator/service/enrolment.js';
import { RemoteClients } from '../../../coordinator/service/remote-clients.js';
import type { AuditFields } from '../../../shared/audit/audit-log-writer.js';
import { fingerprint, generateIdentity, publicIdentity } from '../../../shared/crypto/identity.js';
import { signBlob } from '../../../shared/crypto/signed-blob.js';
import { ENROL_PURPOSE, enrolStatement } from '../../../shared/federation/signed-statements.js';

const coordinator = generateIdentity('coordinator', 'coordinator');
const [a, b, c] = ['site-a', 'site-b', 'site-c'].map((n) => generateIdentity('client', n)) as [
  ReturnType<typeof generateIdentity>,
  ReturnType<typeof generateIdentity>,
  ReturnType<typeof generateIdentity>,
];

describe('the signed allow-list', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-allow-list-'));
    path = join(dir, 'allow-list.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back the sites and serial the coordinator signed', () => {
    writeAllowList(path, { serial: 4, sites: [publicIdentity(a), publicIdentity(b)] }, coordinator);
    const list = readAllowList(path, coordinator.signPublicKey);
    expect(list.serial).to.equal(4);
    expect(list.sites.map((s) => fingerprint(s.signPublicKey))).to.deep.equal(
      [a, b].map((s) => fingerprint(s.signPublicKey)),
    );
  });

  it('refuses a list with a site added by hand, and one signed by another key', () => {
    writeAllowList(path, { serial: 1, sites: [publicIdentity(a)] }, coordinator);
    const document = JSON.parse(readFileSync(path, 'utf8'));
    document.sites.push(JSON.parse(JSON.stringify(document.sites[0])));
    document.sites[1].name = 'intruder';
    writeFileSync(path, JSON.stringify(document));
    expect(() => readAllowList(path, coordinator.signPublicKey)).to.throw(
      /signature: does not verify/,
    );
    const other = generateIdentity('coordinator', 'other');
    writeAllowList(path, { serial: 1, sites: [publicIdentity(a)] }, other);
    expect(() => readAllowList(path, coordinator.signPublicKey)).to.throw(
      /signature: does not verify/,
    );
  });

  it('refuses a serial edited to outrank a newer list', () => {
    writeAllowList(path, { serial: 1, sites: [publicIdentity(a)] }, coordinator);
    writeFileSync(path, readFileSync(path, 'utf8').replace('"serial": 1', '"serial": 9'));
    expect(() => readAllowList(path, coordinator.signPublicKey)).to.throw(/signature/);
  });

  it('will not sign two sites of one name, or a coordinator key as a site', () => {
    expect(() =>
      writeAllowList(
        path,
        { serial: 1, sites: [publicIdentity(a), { ...publicIdentity(b), name: 'site-a' }] },
        coordinator,
      ),
    ).to.throw(/two sites named site-a/);
    expect(() =>
      writeAllowList(path, { serial: 1, sites: [publicIdentity(coordinator)] }, coordinator),
    ).to.throw(/only client keys/);
  });
});

describe('a running coordinator following its allow-list file', () => {
  let dir: string;
  let path: string;
  let allowList: AllowList;
  let enrolment: Enrolment;
  let clients: RemoteClients;
  let logged: string[];
  let entries: AuditFields[];
  let changes: number;
  const parts = () => ({
    identity: coordinator,
    allowList,
    enrolment,
    clients,
    ingress: { append: (fields: AuditFields) => entries.push(fields) } as never,
    log: (line: string) => logged.push(line),
    onChange: () => changes++,
  });
  const enrol = (site: typeof a) => {
    const { challenge } = enrolment.issueChallenge(site.signPublicKey);
    const { signature } = signBlob(
      site,
      ENROL_PURPOSE,
      enrolStatement(challenge, site.boxPublicKey),
    );
    return enrolment.enrol(site.signPublicKey, site.boxPublicKey, challenge, signature);
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-follow-'));
    path = join(dir, 'allow-list.json');
    writeAllowList(path, { serial: 1, sites: [publicIdentity(a), publicIdentity(b)] }, coordinator);
    allowList = new AllowList(readAllowList(path, coordinator.signPublicKey).sites, 1);
    enrolment = new Enrolment(coordinator, allowList);
    clients = new RemoteClients(60_000);
    logged = [];
    entries = [];
    changes = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('admits a site enrolled while it runs, and records it in the ingress log', () => {
    expect(() => enrol(c)).to.throw(/not on the allow-list/);
    writeAllowList(
      path,
      { serial: 2, sites: [publicIdentity(a), publicIdentity(b), publicIdentity(c)] },
      coordinator,
    );
    applyAllowListFile(path, parts());
    expect(enrol(c).clientId).to.equal(fingerprint(c.signPublicKey));
    expect(entries.map((e) => [e.type, e.outcome, e.peer])).to.deep.equal([
      ['allow-list', 'enrolled', fingerprint(c.signPublicKey)],
    ]);
    expect(entries[0]!.round).to.equal(null);
    expect(logged.at(-1)).to.match(
      /serial 2 in force: enrolled site-c; revoked none; 3 sites allowed/,
    );
    expect(changes).to.equal(1);
  });

  it('ends a revoked site’s session and drops it from selection at once, failing its open task', async () => {
    const session = enrol(b);
    const id = fingerprint(b.signPublicKey);
    clients.attach(id, () => {});
    const proxy = clients.connected().find((p) => p.id === id)!;
    const task = { taskId: 't', round: 3, kind: 'train', deadlineMs: Date.now() + 60_000 } as never;
    const answer = proxy.run(task, new AbortController().signal).catch((e: Error) => e.message);
    writeAllowList(path, { serial: 2, sites: [publicIdentity(a)] }, coordinator);
    applyAllowListFile(path, parts());
    expect(() => enrolment.session(session.token)).to.throw(/unknown session/);
    expect(() => enrol(b)).to.throw(/not on the allow-list/);
    expect(clients.connected().map((p) => p.id)).to.not.include(id);
    expect(await answer).to.equal('site site-b was revoked');
    expect(entries.map((e) => e.outcome)).to.deep.equal(['revoked']);
  });

  it('keeps the list in force when the file is older, edited or unreadable, saying why', () => {
    writeAllowList(path, { serial: 3, sites: [publicIdentity(a)] }, coordinator);
    applyAllowListFile(path, parts());
    writeAllowList(path, { serial: 2, sites: [publicIdentity(a), publicIdentity(b)] }, coordinator);
    applyAllowListFile(path, parts());
    expect(logged.at(-1)).to.match(/serial 2 is older than the one in force \(3\): ignored/);
    writeFileSync(path, readFileSync(path, 'utf8').replace('"serial": 2', '"serial": 7'));
    applyAllowListFile(path, parts());
    expect(logged.at(-1)).to.match(/signature: does not verify.*stays at serial 3/);
    rmSync(path);
    applyAllowListFile(path, parts());
    expect(logged.at(-1)).to.match(/cannot read: ENOENT.*stays at serial 3/);
    expect(allowList.serial).to.equal(3);
    expect(allowList.sites.map((s) => s.name)).to.deep.equal(['site-a']);
  });
});
