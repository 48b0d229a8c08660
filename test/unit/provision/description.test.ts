import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  parseConsortiumDescription,
  readConsortiumDescription,
} from '../../../cli/provision/description.js';

const minimal = () => ({
  coordinator: { address: 'coordinator.example.org:7700' },
  sites: ['site-a', { name: 'site-b', files: ['/var/log/zeek/conn.log'], format: 'zeek' }],
});

function refusal(raw: unknown): string {
  try {
    parseConsortiumDescription(raw, 'consortium.yaml');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the description was accepted');
}

describe('a consortium description', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-description-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fills what it leaves out: TLS on, a year of validity, listening on every interface at the address’s port, an auditor', () => {
    const d = parseConsortiumDescription(minimal(), 'c.yaml');
    expect(d.address).to.deep.equal({ host: 'coordinator.example.org', port: 7700 });
    expect(d.listen).to.deep.equal({ host: '0.0.0.0', port: 7700 });
    expect(d.tls).to.equal(true);
    expect(d.validDays).to.equal(365);
    expect(d.auditor).to.equal('auditor');
    expect(d.sites).to.deep.equal([
      { name: 'site-a', files: [], format: 'zeek' },
      { name: 'site-b', files: ['/var/log/zeek/conn.log'], format: 'zeek' },
    ]);
  });

  it('passes the coordinator’s other settings on as given', () => {
    const raw = {
      ...minimal(),
      coordinator: { address: '10.0.0.1:7700', federation: { rounds: 3 } },
    };
    expect(parseConsortiumDescription(raw, 'c.yaml').coordinatorSettings).to.deep.equal({
      federation: { rounds: 3 },
    });
  });

  it('reads YAML and JSON alike', () => {
    const yaml = join(dir, 'c.yaml');
    writeFileSync(yaml, 'coordinator:\n  address: "[::1]:7700"\nsites:\n  - site-a\n');
    const json = join(dir, 'c.json');
    writeFileSync(
      json,
      JSON.stringify({ coordinator: { address: '[::1]:7700' }, sites: ['site-a'] }),
    );
    expect(readConsortiumDescription(yaml)).to.deep.equal(readConsortiumDescription(json));
    expect(readConsortiumDescription(yaml).address).to.deep.equal({ host: '::1', port: 7700 });
  });

  it('names the file and the reason when the text does not parse', () => {
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'sites: [site-a\n');
    expect(() => readConsortiumDescription(file)).to.throw(`${file}: (file): not valid .yaml`);
  });

  it('names the field of each mistake', () => {
    const cases: [unknown, string][] = [
      [{ sites: ['a'] }, 'coordinator: missing'],
      [
        { ...minimal(), coordinator: { address: 'nohost' } },
        'coordinator.address: must be host:port',
      ],
      [
        { ...minimal(), coordinator: { address: 'h:70000' } },
        'coordinator.address: must be host:port',
      ],
      [{ ...minimal(), coordinator: { address: '[nope]:1' } }, 'not an IPv6 address'],
      [{ ...minimal(), sites: [] }, 'sites: must list at least one site'],
      [{ ...minimal(), sites: ['ok', 'bad name'] }, 'sites[1].name: identity name must be'],
      [{ ...minimal(), sites: ['a', 'a'] }, 'sites[1].name: "a" is taken'],
      [{ ...minimal(), sites: ['coordinator'] }, 'sites[0].name: "coordinator" is taken'],
      [{ ...minimal(), sites: [{ name: 'a', format: 'pcap' }] }, 'sites[0].format: must be one of'],
      [{ ...minimal(), sites: [{ name: 'a', files: 'x.log' }] }, 'sites[0].files: must be a list'],
      [{ ...minimal(), sites: [{ name: 'a', file: 'x.log' }] }, 'sites[0].file: unknown field'],
      [{ ...minimal(), auditor: 'site-a' }, 'auditor: "site-a" is taken'],
      [{ ...minimal(), tls: 'yes' }, 'tls: must be true or false'],
      [{ ...minimal(), validDays: 0 }, 'validDays: must be a whole number'],
      [{ ...minimal(), colour: 'red' }, 'colour: unknown field'],
      [
        { ...minimal(), coordinator: { address: 'h:1', stateDir: '/x' } },
        'coordinator.stateDir: written by provision itself',
      ],
      [
        { ...minimal(), coordinator: { address: 'h:1', listen: { port: -1 } } },
        'coordinator.listen.port: must be a port',
      ],
    ];
    for (const [raw, expected] of cases) {
      const message = refusal(raw);
      expect(message).to.match(/^consortium\.yaml: /);
      expect(message).to.include(expected);
    }
  });
});
