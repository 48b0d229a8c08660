import { expect } from 'chai';
import type { Finding } from '../../../shared/audit/audit-entry.js';
import type { AuditReport } from '../../../shared/audit/audit-run.js';
import { siteSummaries } from '../../../shared/audit/audit-summary.js';

const site = (checked = 4) => ({
  site: 'site-a',
  fingerprint: 'aaaa111122223333',
  log: '/audit/site-a/state/audit/egress.jsonl',
  messages: { sketch: 1, delta: 2, histogram: 1 },
  bytes: { sketch: 47632, delta: 147154, histogram: 11414 },
  plaintextsChecked: checked,
});

const report = (findings: Finding[] = [], checked = 4): AuditReport => ({
  coordinatorLog: '/audit/coordinator/audit/ingress.jsonl',
  siteLogs: [site().log],
  sites: [site(checked)],
  screening: [],
  findings,
  errors: findings.filter((f) => f.severity === 'error').length,
  warnings: findings.filter((f) => f.severity === 'warning').length,
});

const finding = (over: Partial<Finding>): Finding => ({
  severity: 'error',
  file: '/audit/coordinator/audit/ingress.jsonl',
  line: null,
  seq: 3,
  code: 'mismatch',
  message: 'x',
  ...over,
});

describe('an audit in plain words', () => {
  it('says what a clean site sent, by kind, count and bytes, that nothing else left, and that all arrived as sent', () => {
    const [text] = siteSummaries(report());
    expect(text).to.equal(
      'site-a (aaaa111122223333) sent 4 messages, 206,200 bytes in all: 1 category sketch (47,632 bytes), 2 weight deltas (147,154 bytes), 1 score histogram (11,414 bytes). ' +
        "Each message's kept copy was opened: every one is of an allowed kind with the published shape, and its signed log records no message of any other kind (no flow record). " +
        'Its log is intact and signed by its key, and the coordinator received every message as sent.',
    );
  });

  it('claims only the copies it opened when a site kept none of some', () => {
    expect(siteSummaries(report([], 1))[0]).to.include(
      '1 of its 4 messages had a kept copy, opened and of an allowed kind and the published shape; for the other 3, only their signed log entries',
    );
  });

  it('withdraws “nothing else left” when a kept copy is not an allowed payload', () => {
    const bad = finding({
      file: '/audit/site-a/state/audit/payloads/3-x.bin',
      code: 'payload-not-allowed',
    });
    const [text] = siteSummaries(report([bad]));
    expect(text).to.include('NOT PROVEN: 1 of its messages');
    expect(text).not.to.include('no message of any other kind');
  });

  it('withdraws “received as sent” for a finding naming the site, even in the coordinator’s log', () => {
    const [text] = siteSummaries(report([finding({ site: 'aaaa111122223333' })]));
    expect(text).to.include('NOT VERIFIED: 1 finding about its log');
    expect(text).not.to.include('received every message as sent');
  });

  it('leaves a site alone for warnings and for findings about another site', () => {
    const other = finding({ site: 'bbbb', file: '/audit/site-b/state/audit/egress.jsonl' });
    const warning = finding({ severity: 'warning', site: 'aaaa111122223333' });
    expect(siteSummaries(report([other, warning]))[0]).to.include('received every message as sent');
  });
});
