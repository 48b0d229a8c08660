import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { listJobs, startJob } from '../../../cli/actions/admin-jobs.js';
import { parseConsortiumDescription } from '../../../cli/provision/description.js';
import { provisionKits } from '../../../cli/provision/kits.js';
import {
  configForJob,
  jobRequestsPath,
  readJobRequests,
} from '../../../coordinator/jobs/job-requests.js';
import { loadCoordinatorConfig } from '../../../shared/config/federation-config.js';
import { loadPrivateIdentity } from '../../../shared/crypto/key-files.js';

describe('the operator’s federation job requests', function () {
  this.timeout(30_000);
  let dir: string;
  let config: string;
  const out: string[] = [];
  const write = (text: string) => out.push(text);
  const requests = () => {
    const c = loadCoordinatorConfig(config);
    return readJobRequests(
      jobRequestsPath(c.stateDir),
      loadPrivateIdentity(c.privateKey).signPublicKey,
    );
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-jobs-'));
    const description = parseConsortiumDescription(
      {
        name: 'jobs',
        coordinator: { address: '127.0.0.1:7700', federation: { rounds: 3 } },
        sites: ['site-a', 'site-b'],
      },
      'c.yaml',
    );
    await provisionKits(description, join(dir, 'kits'));
    config = join(dir, 'kits', 'coordinator', 'coordinator.json');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('signs each request as the next job, numbered from 2, with the settings it changes', () => {
    startJob({ config, name: 'retrain', rounds: 5 }, write);
    startJob(
      { config, modelKind: 'gru', set: ['federation.epochs=3', 'model.sequence.steps=4'] },
      write,
    );
    expect(out).to.deep.equal([
      'requested job 2 (retrain): federation.rounds=5; a running coordinator starts it when the jobs before it are done\n',
      'requested job 3 (job 3): model.kind=gru, federation.epochs=3, model.sequence.steps=4; a running coordinator starts it when the jobs before it are done\n',
    ]);
    const file = requests();
    expect(file.serial).to.equal(2);
    expect(file.jobs.map((j) => [j.id, j.name, j.settings])).to.deep.equal([
      [2, 'retrain', { 'federation.rounds': 5 }],
      [3, 'job 3', { 'model.kind': 'gru', 'federation.epochs': 3, 'model.sequence.steps': 4 }],
    ]);
  });

  it('lists every job with its phase, job 1 being the configured federation', () => {
    const lines: string[] = [];
    listJobs({ config }, (t) => lines.push(t));
    expect(lines).to.deep.equal([
      'job 1  as configured  not started\n',
      'job 2  retrain  not started  federation.rounds=5\n',
      'job 3  job 3  not started  model.kind=gru federation.epochs=3 model.sequence.steps=4\n',
    ]);
  });

  it('refuses settings that belong to the coordinator, and values its configuration refuses, writing nothing', () => {
    const before = requests().serial;
    expect(() => startJob({ config, set: ['listen.port=7800'] }, write)).to.throw(
      /--set listen.port: a job may change only federation\.\*, model\.\*/,
    );
    expect(() => startJob({ config, modelKind: 'lstm' }, write)).to.throw(
      /model.kind: must be one of the possible values/,
    );
    expect(() => startJob({ config, set: ['federation.epochs'] }, write)).to.throw(
      /--set federation.epochs: expected KEY=VALUE/,
    );
    expect(requests().serial).to.equal(before);
  });

  it('refuses a requests file edited by hand, naming it and the reason', () => {
    const c = loadCoordinatorConfig(config);
    const path = jobRequestsPath(c.stateDir);
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace('"retrain"', '"sneaky"'));
    expect(() => requests()).to.throw(
      `job requests ${path}: signature: does not verify with the coordinator's key`,
    );
    writeFileSync(path, text);
  });

  it('applies a job’s settings to a copy of the configuration, leaving the original as it was', () => {
    const c = loadCoordinatorConfig(config);
    const job = configForJob(c, { 'federation.rounds': 9, 'model.kind': 'gru' });
    expect([job.federation.rounds, job.model.kind]).to.deep.equal([9, 'gru']);
    expect([c.federation.rounds, c.model.kind]).to.deep.equal([3, 'categorical-vae']);
    expect(job.listen).to.deep.equal(c.listen);
  });
});
