/**
 * Wire forms of the secure-aggregation messages (proto SecAggTask and the four SecAgg
 * payloads). Every byte field has a fixed length in the protocol, checked here, so a malformed
 * message is a WireError naming the field, never a key of the wrong size handed to the crypto.
 */
import type { SecAggPayload, SecAggTaskData } from '../federation/secagg-messages.js';
import type { Roster } from '../secagg/roster.js';
import type { RevealedShare } from '../secagg/secagg-site.js';
import type { SealedShare } from '../secagg/share-box.js';
import { WireError } from './errors.js';
import { fromLittleEndianBytes, littleEndianBytes } from './float-vector.js';
import type { ClientPayload__Output } from './generated/fedflow/v1/ClientPayload.js';
import type { RevealedShare__Output } from './generated/fedflow/v1/RevealedShare.js';
import type { SealedShare__Output } from './generated/fedflow/v1/SealedShare.js';
import type { SecAggTask, SecAggTask__Output } from './generated/fedflow/v1/SecAggTask.js';

/** The most members one aggregation may list (a share's x coordinate is one byte). */
export const MAX_SECAGG_MEMBERS = 255;
const KEY_BYTES = 32;
const NONCE_BYTES = 24;
const BOX_BYTES = 32 + 2 * 33 + 16;
const SHARE_BYTES = 33;

function bytes(value: Uint8Array | null | undefined, length: number, what: string): Uint8Array {
  const v = value ?? new Uint8Array(0);
  if (v.length !== length)
    throw new WireError(`expected ${what} of ${length} bytes, got ${v.length}`);
  return new Uint8Array(v);
}

function atMost<T>(items: readonly T[], what: string): readonly T[] {
  if (items.length > MAX_SECAGG_MEMBERS)
    throw new WireError(`expected at most ${MAX_SECAGG_MEMBERS} ${what}, got ${items.length}`);
  return items;
}

const sealedShareToWire = (s: SealedShare) => ({
  sender: s.from,
  recipient: s.to,
  nonce: s.nonce,
  box: s.box,
});

function sealedShareFromWire(m: SealedShare__Output): SealedShare {
  return {
    from: m.sender,
    to: m.recipient,
    nonce: bytes(m.nonce, NONCE_BYTES, 'a sealed share nonce'),
    box: bytes(m.box, BOX_BYTES, 'a sealed share'),
  };
}

const revealedToWire = (s: RevealedShare) => ({ member: s.of, share: s.share });
const revealedFromWire = (m: RevealedShare__Output): RevealedShare => ({
  of: m.member,
  share: bytes(m.share, SHARE_BYTES, 'a revealed share'),
});

export function secaggTaskToWire(data: SecAggTaskData): SecAggTask {
  const { session } = data;
  switch (data.step) {
    case 'keys':
      return { session, keys: {} };
    case 'shares':
      return {
        session,
        roster: {
          members: data.roster.members.map((m) => ({
            id: m.id,
            cipherKey: m.cipherKey,
            maskKey: m.maskKey,
            neighbours: [...(data.roster.neighbours[m.id] ?? [])],
          })),
          threshold: data.roster.threshold,
        },
      };
    case 'input':
      return {
        session,
        input: {
          sharers: [...data.sharers],
          shares: data.shares.map(sealedShareToWire),
          ...data.encoding,
        },
      };
    case 'unmask':
      return {
        session,
        unmask: { survivors: [...data.request.survivors], dropped: [...data.request.dropped] },
      };
  }
}

export function secaggTaskFromWire(m: SecAggTask__Output | null): SecAggTaskData {
  if (!m || m.session === '')
    throw new WireError('expected a secure aggregation task with a session');
  const session = m.session;
  // Decoded messages name the oneof's case; a message object built in-process may not.
  const step = m.step ?? (['keys', 'roster', 'input', 'unmask'] as const).find((k) => m[k]);
  switch (step) {
    case 'keys':
      return { step: 'keys', session };
    case 'roster': {
      const members = atMost(m.roster!.members, 'roster members');
      const roster: Roster = {
        round: session,
        members: members.map((x) => ({
          id: x.id,
          cipherKey: bytes(x.cipherKey, KEY_BYTES, `${x.id}'s cipher key`),
          maskKey: bytes(x.maskKey, KEY_BYTES, `${x.id}'s mask key`),
        })),
        neighbours: Object.fromEntries(
          members.map((x) => [x.id, atMost(x.neighbours, 'neighbours')]),
        ),
        threshold: m.roster!.threshold,
      };
      return { step: 'shares', session, roster };
    }
    case 'input': {
      const i = m.input!;
      const encoding = { bound: i.bound, step: i.step, lossStep: i.lossStep };
      for (const [name, value] of Object.entries(encoding))
        if (!(Number.isFinite(value) && value > 0))
          throw new WireError(`expected a positive ${name} of the secure encoding, got ${value}`);
      return {
        step: 'input',
        session,
        sharers: atMost(i.sharers, 'sharers'),
        shares: atMost(i.shares, 'shares').map(sealedShareFromWire),
        encoding,
      };
    }
    case 'unmask':
      return {
        step: 'unmask',
        session,
        request: {
          survivors: atMost(m.unmask!.survivors, 'survivors'),
          dropped: atMost(m.unmask!.dropped, 'dropped members'),
        },
      };
    default:
      throw new WireError('expected a secure aggregation task with a step, got none');
  }
}

/** The ClientPayload body of a secure-aggregation payload. */
export function secaggPayloadToWire(payload: SecAggPayload): Record<string, unknown> {
  switch (payload.kind) {
    case 'secagg-keys':
      return { secaggKeys: { cipherKey: payload.cipherKey, maskKey: payload.maskKey } };
    case 'secagg-shares':
      return {
        secaggShares: {
          shares: payload.shares.map(sealedShareToWire),
          selfMaskCommitment: payload.selfMaskCommitment,
        },
      };
    case 'masked-delta':
      return {
        maskedDelta: {
          modelVersion: payload.modelVersion,
          maskedLittleEndian: littleEndianBytes(payload.masked),
        },
      };
    case 'secagg-unmask':
      return {
        secaggUnmask: {
          selfMaskShares: payload.selfMaskShares.map(revealedToWire),
          maskKeyShares: payload.maskKeyShares.map(revealedToWire),
        },
      };
  }
}

/** The secure-aggregation payload of a decoded ClientPayload, or null for another body. */
export function secaggPayloadFromWire(m: ClientPayload__Output): SecAggPayload | null {
  switch (m.body) {
    case 'secaggKeys':
      return {
        kind: 'secagg-keys',
        cipherKey: bytes(m.secaggKeys!.cipherKey, KEY_BYTES, 'a cipher key'),
        maskKey: bytes(m.secaggKeys!.maskKey, KEY_BYTES, 'a mask key'),
      };
    case 'secaggShares':
      return {
        kind: 'secagg-shares',
        shares: atMost(m.secaggShares!.shares, 'shares').map(sealedShareFromWire),
        selfMaskCommitment: bytes(m.secaggShares!.selfMaskCommitment, 32, 'a self-mask commitment'),
      };
    case 'maskedDelta':
      return {
        kind: 'masked-delta',
        modelVersion: m.maskedDelta!.modelVersion,
        masked: fromLittleEndianBytes(
          m.maskedDelta!.maskedLittleEndian,
          (n) => new Uint32Array(n),
          'a masked delta',
          '32-bit words',
        ),
      };
    case 'secaggUnmask':
      return {
        kind: 'secagg-unmask',
        selfMaskShares: atMost(m.secaggUnmask!.selfMaskShares, 'shares').map(revealedFromWire),
        maskKeyShares: atMost(m.secaggUnmask!.maskKeyShares, 'shares').map(revealedFromWire),
      };
    default:
      return null;
  }
}
