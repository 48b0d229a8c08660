import { expect } from 'chai';
import { AllowList } from '../../../coordinator/enrolment/allow-list.js';
import { Enrolment } from '../../../coordinator/service/enrolment.js';
import { InFlightResults } from '../../../coordinator/service/in-flight.js';
import { RateLimitedLog } from '../../../coordinator/service/rate-limited-log.js';
import { generateIdentity, publicIdentity } from '../../../shared/crypto/identity.js';
import { signBlob } from '../../../shared/crypto/signed-blob.js';
import { ENROL_PURPOSE, enrolStatement } from '../../../shared/federation/signed-statements.js';
import { FedflowError } from '../../../shared/wire/errors.js';

describe('what the coordinator admits', () => {
  it('keeps one session per client however often it enrols, ending the older one', () => {
    const coordinator = generateIdentity('coordinator', 'c');
    const site = generateIdentity('client', 'site-a');
    const enrolment = new Enrolment(coordinator, new AllowList([publicIdentity(site)]));
    const enrol = () => {
      const { challenge } = enrolment.issueChallenge(site.signPublicKey);
      const statement = enrolStatement(challenge, site.boxPublicKey);
      const { signature } = signBlob(site, ENROL_PURPOSE, statement);
      return enrolment.enrol(site.signPublicKey, site.boxPublicKey, challenge, signature);
    };
    const first = enrol();
    let last = first;
    for (let i = 0; i < 50; i++) last = enrol();
    expect(enrolment.sessionCount).to.equal(1);
    expect(enrolment.session(last.token).clientId).to.equal(first.clientId);
    expect(() => enrolment.session(first.token)).to.throw(FedflowError, 'unknown session');
  });

  it('expires a session left unused for longer than the idle limit, and keeps one in use', () => {
    const coordinator = generateIdentity('coordinator', 'c');
    const site = generateIdentity('client', 'site-a');
    let now = 0;
    const enrolment = new Enrolment(
      coordinator,
      new AllowList([publicIdentity(site)]),
      () => {},
      1000,
      () => now,
    );
    const { challenge } = enrolment.issueChallenge(site.signPublicKey);
    const { signature } = signBlob(
      site,
      ENROL_PURPOSE,
      enrolStatement(challenge, site.boxPublicKey),
    );
    const session = enrolment.enrol(site.signPublicKey, site.boxPublicKey, challenge, signature);
    for (let i = 0; i < 5; i++) {
      now += 900; // used every 0.9 s: stays
      expect(enrolment.session(session.token).clientId).to.equal(session.clientId);
    }
    now += 1001;
    expect(() => enrolment.session(session.token)).to.throw(
      FedflowError,
      'the session expired: enrol again',
    );
    expect(() => enrolment.session(session.token)).to.throw(FedflowError, 'unknown session');
    expect(enrolment.sessionCount).to.equal(0);
  });

  it('receives one result at a time per client and refuses more bytes than its ceiling', () => {
    const inFlight = new InFlightResults(100);
    const releaseA = inFlight.reserve('a', 60);
    expect(() => inFlight.reserve('a', 1)).to.throw(FedflowError, 'one at a time');
    expect(() => inFlight.reserve('b', 41)).to.throw(FedflowError, 'would pass its limit of 100');
    const releaseB = inFlight.reserve('b', 40);
    releaseA();
    releaseA(); // twice is harmless
    expect(() => inFlight.reserve('a', 60)).to.not.throw();
    releaseB();
  });

  it('logs a flood of refusals as one line per interval, counting the rest', () => {
    const lines: string[] = [];
    let now = 0;
    const log = new RateLimitedLog(
      'refused',
      (l) => lines.push(l),
      10_000,
      () => now,
    );
    for (let i = 0; i < 1000; i++) {
      log.note('unknown session');
      now += 15; // 1,000 refusals in 15 s
    }
    expect(log.total).to.equal(1000);
    expect(lines).to.deep.equal([
      'refused: unknown session',
      'refused: unknown session (and 666 more since the last line)',
    ]);
  });
});
