import { expect } from 'chai';
import { EnvelopeError } from '../../../shared/crypto/envelope-error.js';
import { publicIdentity } from '../../../shared/crypto/identity.js';
import { ReplayGuard } from '../../../shared/crypto/replay-guard.js';
import {
  type EnvelopeContext,
  openEnvelope,
  sealEnvelope,
} from '../../../shared/crypto/sealed-envelope.js';
import { seededIdentity } from './fixtures.js';

const coordinator = seededIdentity('coordinator', 'hub', 1);
const acme = seededIdentity('client', 'acme', 3);
const globex = seededIdentity('client', 'globex', 4);
const round3: EnvelopeContext = { kind: 'delta', round: 3, taskId: 'train-3' };
const round4: EnvelopeContext = { kind: 'delta', round: 4, taskId: 'train-4' };
const payload = Uint8Array.of(1, 2, 3);

function seal(sender = acme, context = round3, nonce?: Uint8Array) {
  return sealEnvelope(sender, coordinator.boxPublicKey, context, payload, nonce);
}

function replayMessage(check: () => void): string {
  try {
    check();
  } catch (error) {
    expect(error).to.be.instanceOf(EnvelopeError);
    expect((error as EnvelopeError).reason).to.equal('replayed');
    return (error as Error).message;
  }
  throw new Error('the envelope was accepted twice');
}

describe('replay guard', () => {
  it('accepts an envelope once and rejects the same envelope replayed', () => {
    const guard = new ReplayGuard();
    const envelope = seal();
    openEnvelope(coordinator, publicIdentity(acme), envelope, round3);
    guard.check(envelope);
    // the replayed copy still opens (it is authentic); the guard is what refuses it
    openEnvelope(coordinator, publicIdentity(acme), envelope, round3);
    expect(replayMessage(() => guard.check(envelope))).to.match(/used this nonce before/);
  });

  it('rejects a reused nonce even for another round', () => {
    const guard = new ReplayGuard();
    const nonce = new Uint8Array(24).fill(7);
    guard.check(seal(acme, round3, nonce));
    expect(replayMessage(() => guard.check(seal(acme, round4, nonce)))).to.match(/nonce/);
  });

  it('rejects a second submission by the same client for the same task', () => {
    const guard = new ReplayGuard();
    guard.check(seal());
    expect(replayMessage(() => guard.check(seal()))).to.match(
      /already submitted for round 3, task "train-3"/,
    );
  });

  it('accepts other clients for the same task and the same client for the next task', () => {
    const guard = new ReplayGuard();
    guard.check(seal(acme, round3));
    guard.check(seal(globex, round3));
    guard.check(seal(acme, round4));
    guard.check(seal(acme, { ...round3, taskId: 'train-3-reopened' }));
    expect(guard.size).to.equal(4);
  });

  it('records nothing for a rejected envelope', () => {
    const guard = new ReplayGuard();
    guard.check(seal());
    replayMessage(() => guard.check(seal()));
    expect(guard.size).to.equal(1);
  });

  it('still rejects replays after a JSON round trip', () => {
    const guard = new ReplayGuard();
    const first = seal(acme, round3);
    guard.check(first);
    guard.check(seal(globex, round3));
    const restored = ReplayGuard.fromJSON(JSON.parse(JSON.stringify(guard)));
    expect(restored.toJSON()).to.deep.equal(guard.toJSON());
    replayMessage(() => restored.check(first));
    replayMessage(() => restored.check(seal(acme, round3)));
    restored.check(seal(acme, round4));
  });

  it('persists the documented JSON', () => {
    const guard = new ReplayGuard();
    const nonce = new Uint8Array(24).fill(1);
    guard.check(seal(acme, round3, nonce));
    expect(guard.toJSON()).to.deep.equal({
      format: 'fedflow-replay-guard',
      version: 1,
      accepted: [
        {
          sender: Buffer.from(acme.signPublicKey).toString('base64'),
          round: 3,
          taskId: 'train-3',
          nonce: Buffer.from(nonce).toString('base64'),
        },
      ],
    });
  });

  it('forgets closed rounds on request', () => {
    const guard = new ReplayGuard();
    guard.check(seal(acme, round3));
    guard.check(seal(acme, round4));
    expect(guard.forgetRoundsBefore(4)).to.equal(1);
    expect(guard.size).to.equal(1);
    replayMessage(() => guard.check(seal(acme, round4)));
  });

  it('names the bad entry of a damaged state', () => {
    const good = new ReplayGuard();
    good.check(seal());
    const state = good.toJSON();
    const damaged = (entry: Record<string, unknown>) => ({
      ...state,
      accepted: [{ ...state.accepted[0], ...entry }],
    });
    expect(() => ReplayGuard.fromJSON(null)).to.throw(/expected an object, got null/);
    expect(() => ReplayGuard.fromJSON({ ...state, format: 'x' })).to.throw(
      /expected format 'fedflow-replay-guard'/,
    );
    expect(() => ReplayGuard.fromJSON({ ...state, accepted: {} })).to.throw(
      /accepted: expected an array/,
    );
    expect(() => ReplayGuard.fromJSON(damaged({ nonce: 'AAAA' }))).to.throw(
      /accepted\[0\]\.nonce: expected 24 bytes/,
    );
    expect(() => ReplayGuard.fromJSON(damaged({ sender: 1 }))).to.throw(
      /accepted\[0\]\.sender: expected 32 bytes/,
    );
    expect(() => ReplayGuard.fromJSON(damaged({ round: '3' }))).to.throw(
      /accepted\[0\]\.round: expected an integer/,
    );
    expect(() => ReplayGuard.fromJSON(damaged({ taskId: '' }))).to.throw(/accepted\[0\]\.taskId/);
    const doubled = { ...state, accepted: [state.accepted[0], state.accepted[0]] };
    expect(() => ReplayGuard.fromJSON(doubled)).to.throw(/accepted\[1\]: duplicate/);
  });
});
