import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import {
  ATTACK_KINDS,
  CONN_LOG_FIELDS,
  writeSyntheticConnLog,
} from '../../../shared/flows/synth/index.js';
import { column, makeTempDir, numberIn, writeAndRead } from './conn-log-file.js';

describe('writeSyntheticConnLog', () => {
  let dir: string;
  let cleanUp: () => void;
  before(() => {
    ({ dir, cleanUp } = makeTempDir());
  });
  after(() => cleanUp());

  it('writes byte-identical files for the same options', async () => {
    const options = { profile: 'web', flows: 5000, seed: 42, attackShare: 0.05 } as const;
    const first = path.join(dir, 'same-a.log');
    const second = path.join(dir, 'same-b.log');

    await writeSyntheticConnLog(first, options);
    await writeSyntheticConnLog(second, options);

    expect(fs.readFileSync(first).equals(fs.readFileSync(second))).to.equal(true);
  });

  it('writes different flows for a different seed', async () => {
    const a = await writeAndRead(dir, 'seed-1.log', { profile: 'web', flows: 2000, seed: 1 });
    const b = await writeAndRead(dir, 'seed-2.log', { profile: 'web', flows: 2000, seed: 2 });

    const uid = column(a.log, 'uid');
    expect(a.log.rows.map(uid)).to.not.deep.equal(b.log.rows.map(uid));
    const bytes = column(a.log, 'resp_bytes');
    expect(a.log.rows.map(bytes)).to.not.deep.equal(b.log.rows.map(bytes));
  });

  it('writes a well-formed Zeek header whose fields and types match every row', async () => {
    const { log } = await writeAndRead(dir, 'header.log', {
      profile: 'mail-dns',
      flows: 3000,
      seed: 5,
      attackShare: 0.1,
    });

    expect(log.text.startsWith('#separator \\x09\n')).to.equal(true);
    expect(log.directives.get('#set_separator')).to.deep.equal([',']);
    expect(log.directives.get('#empty_field')).to.deep.equal(['(empty)']);
    expect(log.directives.get('#unset_field')).to.deep.equal(['-']);
    expect(log.directives.get('#path')).to.deep.equal(['conn']);
    expect(log.directives.get('#open')![0]).to.match(/^\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d$/);
    expect(log.fields).to.deep.equal([...CONN_LOG_FIELDS]);
    expect(log.directives.get('#types')).to.have.length(log.fields.length);
    expect(log.directives.get('#types')![0]).to.equal('time');
    expect(log.text.trimEnd().split('\n').at(-1)).to.match(/^#close\t\d{4}(-\d\d){5}$/);
    expect(log.rows).to.have.length(3000);
    for (const row of log.rows) expect(row).to.have.length(log.fields.length);
  });

  it('stamps #open and the first timestamp from startTime, so files do not depend on the clock', async () => {
    const { log } = await writeAndRead(dir, 'start.log', {
      profile: 'internal',
      flows: 100,
      seed: 3,
      startTime: 1_600_000_000,
    });

    expect(log.directives.get('#open')).to.deep.equal(['2020-09-13-12-26-40']);
    expect(column(log, 'ts')(log.rows[0]!)).to.equal('1600000000.000000');
  });

  it('writes strictly increasing timestamps and unique Zeek-style uids', async () => {
    const { log } = await writeAndRead(dir, 'order.log', {
      profile: 'internal',
      flows: 20_000,
      seed: 11,
      attackShare: 0.2,
    });

    const ts = column(log, 'ts');
    const times = log.rows.map(ts);
    for (const time of times) expect(time).to.match(/^\d+\.\d{6}$/);
    for (let i = 1; i < times.length; i++)
      expect(Number(times[i])).to.be.greaterThan(Number(times[i - 1]));
    const uids = log.rows.map(column(log, 'uid'));
    for (const uid of uids) expect(uid).to.match(/^C[0-9A-Za-z]{17}$/);
    expect(new Set(uids).size).to.equal(uids.length);
  });

  it('uses private addresses for the site and documentation ranges for the internet', async () => {
    const site = /^(10\.|172\.(1[6-9]|2\d|3[01])\.|192\.168\.)/;
    const internet = /^(192\.0\.2|198\.51\.100|203\.0\.113)\./;
    for (const profile of ['web', 'mail-dns', 'internal'] as const) {
      const { log } = await writeAndRead(dir, `addresses-${profile}.log`, {
        profile,
        flows: 3000,
        seed: 8,
        attackShare: 0.2,
      });
      const checks = [
        [column(log, 'id.orig_h'), column(log, 'local_orig')],
        [column(log, 'id.resp_h'), column(log, 'local_resp')],
      ] as const;
      for (const row of log.rows) {
        for (const [address, local] of checks) {
          const octets = address(row).split('.').map(Number);
          expect(octets).to.have.length(4);
          for (const octet of octets) expect(octet).to.be.within(0, 255);
          expect(local(row)).to.equal(site.test(address(row)) ? 'T' : 'F');
          expect(site.test(address(row)) || internet.test(address(row))).to.equal(true);
        }
      }
    }
  });

  it('writes internally consistent states, histories, packets and unset fields', async () => {
    const { log } = await writeAndRead(dir, 'consistent.log', {
      profile: 'web',
      flows: 20_000,
      seed: 21,
      attackShare: 0.2,
    });
    const get = (name: string) => column(log, name);
    const count = (name: string) => numberIn(log, name);
    const [proto, state, history, duration] = ['proto', 'conn_state', 'history', 'duration'].map(
      get,
    );
    const [origBytes, respBytes, origPkts, respPkts, origIp, respIp] = [
      'orig_bytes',
      'resp_bytes',
      'orig_pkts',
      'resp_pkts',
      'orig_ip_bytes',
      'resp_ip_bytes',
    ].map(count);

    for (const row of log.rows) {
      const expected: Record<string, RegExp> =
        proto!(row) === 'udp'
          ? { SF: /^Dd$/, S0: /^D$/ }
          : proto!(row) === 'icmp'
            ? { OTH: /^-$/ }
            : { SF: /^ShA.*[Ff]/, S0: /^S$/, REJ: /^Sr$/, RSTO: /^Sh.*R$/, RSTR: /^ShA.*r$/ };
      expect(history!(row), `${state!(row)} ${row.join(' ')}`).to.match(expected[state!(row)]!);
      // A single-packet connection has no duration, and Zeek then leaves the byte counts unset.
      if (duration!(row) === '-') {
        expect(origPkts!(row) + respPkts!(row)).to.equal(1);
        expect([get('orig_bytes')(row), get('resp_bytes')(row)]).to.deep.equal(['-', '-']);
      }
      expect(origIp!(row)).to.be.at.least(origBytes!(row) + 20 * origPkts!(row));
      expect(respIp!(row)).to.be.at.least(respBytes!(row) + 20 * respPkts!(row));
      if (respBytes!(row) > 0) expect(respPkts!(row)).to.be.greaterThan(0);
    }
  });

  it('reports the flows and attacks per kind that it wrote', async () => {
    const { log, summary } = await writeAndRead(dir, 'summary.log', {
      profile: 'web',
      flows: 4000,
      seed: 9,
      attackShare: 0.1,
    });

    const labels = log.rows.map(column(log, 'label'));
    expect(summary.flows).to.equal(4000);
    for (const kind of ATTACK_KINDS)
      expect(summary.attacks[kind]).to.equal(labels.filter((label) => label === kind).length);
  });

  it('rejects a path in a missing directory with one line naming it, writing nothing', async () => {
    const missing = path.join(dir, 'no-such-dir', 'x.log');

    let failure: unknown = null;
    try {
      await writeSyntheticConnLog(missing, { profile: 'web', flows: 10, seed: 1 });
    } catch (error) {
      failure = error;
    }

    expect(failure).to.be.instanceOf(Error);
    expect((failure as Error).message).to.equal(
      `cannot write ${missing}: directory ${path.join(dir, 'no-such-dir')} does not exist`,
    );
  });

  it('leaves an existing file as it was when writing fails', async () => {
    const target = path.join(dir, 'kept.log');
    const yesterday = '#separator \\x09\n#fields\tts\n';
    fs.writeFileSync(target, yesterday);
    let failure: unknown = null;
    try {
      await writeSyntheticConnLog(target, { profile: 'web', flows: -1, seed: 1 });
    } catch (error) {
      failure = error;
    }
    expect(failure).to.be.instanceOf(Error);
    expect(fs.readFileSync(target, 'utf8')).to.equal(yesterday);
  });
});
