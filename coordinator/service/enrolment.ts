/**
 * Enrolment by signed challenge: a client proves it holds the signing key that the
 * operator put on the allow-list; it then gets a session token for its other calls.
 */

import { randomBytes } from 'node:crypto';
import nacl from 'tweetnacl';
import { bytesEqual } from '../../shared/crypto/bytes.js';
import { fingerprint, type Identity, type PublicIdentity } from '../../shared/crypto/identity.js';
import { verifyBlob } from '../../shared/crypto/signed-blob.js';
import { ENROL_PURPOSE, enrolStatement } from '../../shared/federation/signed-statements.js';
import { FedflowError } from '../../shared/wire/errors.js';
import type { AllowList } from '../enrolment/allow-list.js';

const CHALLENGE_TTL_MS = 60_000;
const CHALLENGE_BYTES = 32;
const SIGN_KEY_BYTES = nacl.sign.publicKeyLength;
const BOX_KEY_BYTES = nacl.box.publicKeyLength;
const SIGNATURE_BYTES = nacl.sign.signatureLength;

/** Malformed input is the caller's mistake: INVALID_ARGUMENT with the reason, no stack trace. */
function checkLength(name: string, bytes: Uint8Array, expected: number): void {
  if (bytes.length !== expected)
    throw new FedflowError(
      'invalid-argument',
      `${name} must be ${expected} bytes, got ${bytes.length}`,
    );
}

export interface Session {
  readonly token: string;
  /** When it was last used: a session idle for longer than the limit expires. */
  lastUsedMs: number;
  /** Fingerprint of the client's signing key. */
  readonly clientId: string;
  readonly identity: PublicIdentity;
}

export class Enrolment {
  private readonly challenges = new Map<string, { challenge: Uint8Array; expiresMs: number }>();
  private readonly sessions = new Map<string, Session>();
  private readonly byClient = new Map<string, string>();

  constructor(
    readonly coordinator: Identity,
    private readonly allowList: AllowList,
    /** Told of every enrolment (the coordinator records them in its state directory). */
    private readonly onEnrolled: (session: Session) => void = () => {},
    private readonly sessionIdleMs = 3_600_000,
    private readonly now: () => number = Date.now,
  ) {}

  issueChallenge(clientSignKey: Uint8Array): { challenge: Uint8Array; expiresMs: number } {
    checkLength('clientSignKey', clientSignKey, SIGN_KEY_BYTES);
    this.allowed(clientSignKey);
    const entry = {
      challenge: new Uint8Array(randomBytes(32)),
      expiresMs: Date.now() + CHALLENGE_TTL_MS,
    };
    this.challenges.set(Buffer.from(clientSignKey).toString('hex'), entry);
    return entry;
  }

  enrol(
    clientSignKey: Uint8Array,
    clientBoxKey: Uint8Array,
    challenge: Uint8Array,
    signature: Uint8Array,
  ): Session {
    checkLength('clientSignKey', clientSignKey, SIGN_KEY_BYTES);
    checkLength('clientBoxKey', clientBoxKey, BOX_KEY_BYTES);
    checkLength('challenge', challenge, CHALLENGE_BYTES);
    checkLength('signature', signature, SIGNATURE_BYTES);
    const identity = this.allowed(clientSignKey);
    const key = Buffer.from(clientSignKey).toString('hex');
    const issued = this.challenges.get(key);
    if (!issued || !bytesEqual(issued.challenge, challenge))
      throw new FedflowError('unauthenticated', 'unknown challenge: ask for a new one');
    this.challenges.delete(key);
    if (issued.expiresMs < Date.now())
      throw new FedflowError('unauthenticated', 'the challenge has expired: ask for a new one');
    if (!bytesEqual(identity.boxPublicKey, clientBoxKey))
      throw new FedflowError('unauthenticated', 'the box key differs from the allow-listed one');
    try {
      verifyBlob(
        {
          payload: enrolStatement(challenge, clientBoxKey),
          signature,
          signerKey: clientSignKey,
          purpose: ENROL_PURPOSE,
        },
        clientSignKey,
        ENROL_PURPOSE,
      );
    } catch {
      throw new FedflowError('unauthenticated', 'the challenge signature does not verify');
    }
    const session: Session = {
      token: randomBytes(32).toString('hex'),
      clientId: fingerprint(clientSignKey),
      identity,
      lastUsedMs: this.now(),
    };
    // One session per client: enrolling again ends the previous one, so sessions stay as
    // many as the allow-list has clients however often each enrols.
    const previous = this.byClient.get(session.clientId);
    if (previous) this.sessions.delete(previous);
    this.byClient.set(session.clientId, session.token);
    this.sessions.set(session.token, session);
    this.onEnrolled(session);
    return session;
  }

  /** How many sessions are open (at most one per allow-listed client). */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** The session of a token, or UNAUTHENTICATED (e.g. after a coordinator restart: enrol again). */
  session(token: string): Session {
    const session = this.sessions.get(token);
    if (!session) throw new FedflowError('unauthenticated', 'unknown session: enrol again');
    const now = this.now();
    if (now - session.lastUsedMs > this.sessionIdleMs) {
      this.sessions.delete(token);
      if (this.byClient.get(session.clientId) === token) this.byClient.delete(session.clientId);
      throw new FedflowError('unauthenticated', 'the session expired: enrol again');
    }
    session.lastUsedMs = now;
    return session;
  }

  /**
   * Ends the session of a site taken off the allow-list: its next call is UNAUTHENTICATED,
   * and enrolling again is refused.
   */
  revoke(clientId: string): void {
    const token = this.byClient.get(clientId);
    if (token) this.sessions.delete(token);
    this.byClient.delete(clientId);
  }

  private allowed(clientSignKey: Uint8Array): PublicIdentity {
    // Whole keys are compared, not fingerprints: a 64-bit fingerprint is for logs only.
    const identity = this.allowList.find(clientSignKey);
    if (!identity)
      throw new FedflowError(
        'unauthenticated',
        `signing key ${fingerprint(clientSignKey)} is not on the allow-list`,
      );
    return identity;
  }
}
