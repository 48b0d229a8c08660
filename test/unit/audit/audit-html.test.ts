import { expect } from 'chai';
import { auditHtml } from '../../../shared/audit/audit-html.js';
import type { AuditReport } from '../../../shared/audit/audit-run.js';

const site = {
  site: 'site-a',
  fingerprint: 'aaaa111122223333',
  log: '/a/site-a/audit/egress.jsonl',
  messages: { sketch: 1, delta: 2 },
  bytes: { sketch: 400, delta: 9000 },
  plaintextsChecked: 3,
};

function page(findings: AuditReport['findings']): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const report: AuditReport = {
    coordinatorLog: '/a/coordinator/audit/ingress.jsonl',
    siteLogs: [site.log],
    sites: [site],
    screening: [],
    findings,
    errors,
    warnings: findings.length - errors,
  };
  const disclosed = new Map([
    [
      site.log,
      [
        {
          seq: 0,
          round: 0,
          type: 'sketch',
          disclosed: {
            kind: 'sketch' as const,
            rows: 5,
            categorical: [{ field: 'service', values: { '<b>http</b>': 5 } }],
            numeric: [],
          },
          problem: null,
        },
      ],
    ],
  ]);
  return auditHtml({ report, disclosed, at: new Date('2026-11-30T00:00:00Z'), paths: ['.'] });
}

describe('the audit as an HTML page', () => {
  it('holds the verdict, each site in plain words, what it sent and what its copies disclosed', () => {
    const html = page([]);
    expect(html).to.match(/^<!doctype html>/);
    expect(html).to.include('<strong>OK</strong>: no errors, 0 warnings.');
    expect(html).to.include('site-a (aaaa111122223333) sent 3 messages, 9,400 bytes in all');
    expect(html).to.include('<td class="num">9,000</td>');
    expect(html).to.include("What site-a's kept copies disclosed");
    expect(html).not.to.match(/<script|src=|href=/);
  });

  it('escapes what came from the logs, so a crafted value cannot become markup', () => {
    const html = page([
      {
        severity: 'error',
        file: '/a/site-a/audit/egress.jsonl',
        line: 3,
        seq: 2,
        code: 'mismatch',
        message: '<img src=x onerror=alert(1)>',
        site: 'aaaa111122223333',
      },
    ]);
    expect(html).to.include('<strong>FAILED</strong>: 1 errors');
    expect(html).to.include('&#60;img src=x onerror=alert(1)&#62;');
    expect(html).to.include('&#60;b&#62;http&#60;/b&#62; 5');
    expect(html).not.to.include('<img');
    expect(html).to.include('NOT VERIFIED');
  });
});
