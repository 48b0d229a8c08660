/**
 * The coordinator's side of secure aggregation: it publishes the roster, routes the sealed
 * shares, says who survived, and from the masked inputs and the revealed shares computes the
 * sum of the survivors' inputs, and nothing else: each input carries a self mask only its
 * seed removes, and the coordinator learns a seed only for inputs that are in the sum.
 * Pure functions over the steps' results: the round protocol (coordinator/rounds) calls them.
 */
import { combine } from 'shamir-secret-sharing';
import nacl from 'tweetnacl';
import { addMask, maskStream, pairwiseSeed } from './mask-stream.js';
import {
  maskSign,
  neighbourGraph,
  type Roster,
  type RosterEntry,
  rosterProblem,
} from './roster.js';
import {
  type AdvertisedKeys,
  type KeyShares,
  selfMaskCommitment,
  type UnmaskRequest,
  type UnmaskResponse,
} from './secagg-site.js';
import type { SealedShare } from './share-box.js';

/** The roster of the sites whose keys arrived, in a random ring order for the neighbour graph. */
export function buildRoster(
  round: string,
  keys: ReadonlyMap<string, AdvertisedKeys>,
  { degree, threshold }: { degree: number; threshold: (neighbours: number) => number },
  shuffle: <T>(items: T[]) => T[],
): Roster {
  const members: RosterEntry[] = [...keys]
    .map(([id, k]) => ({ id, cipherKey: k.cipherKey, maskKey: k.maskKey }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const neighbours = neighbourGraph(shuffle(members.map((m) => m.id)), degree);
  const fewest = Math.min(...Object.values(neighbours).map((v) => v.length));
  const roster = { round, members, neighbours, threshold: threshold(fewest + 1) };
  const problem = rosterProblem(roster, null);
  if (problem) throw new Error(`cannot build a secure aggregation roster: ${problem}`);
  return roster;
}

/** The shares sealed to each member, from the members whose shares arrived (each checked). */
export function routeShares(
  roster: Roster,
  sent: ReadonlyMap<string, KeyShares>,
): Map<string, SealedShare[]> {
  const inbox = new Map<string, SealedShare[]>(roster.members.map((m) => [m.id, []]));
  for (const [from, shares] of sent) {
    const problem = keySharesProblem(roster, from, shares);
    if (problem) throw new Error(`${from}'s key shares: ${problem}`);
    for (const share of shares.shares) inbox.get(share.to)!.push(share);
  }
  return inbox;
}

/** Why the key shares of `from` cannot count, or null. */
export function keySharesProblem(roster: Roster, from: string, sent: KeyShares): string | null {
  const expected = [...(roster.neighbours[from] ?? [])].sort().join(',');
  const to = sent.shares
    .map((s) => s.to)
    .sort()
    .join(',');
  if (sent.shares.some((s) => s.from !== from)) return 'a share names another sender';
  if (to !== expected)
    return `shares go to ${to || 'nobody'}, the roster's neighbours are ${expected}`;
  if (sent.selfMaskCommitment.length !== 32) return 'the self-mask commitment is not 32 bytes';
  return null;
}

export function unmaskRequest(
  sharers: readonly string[],
  inputs: readonly string[],
): UnmaskRequest {
  const survivors = [...inputs].sort();
  return { survivors, dropped: sharers.filter((id) => !inputs.includes(id)).sort() };
}

export interface UnmaskInputs {
  readonly roster: Roster;
  readonly commitments: ReadonlyMap<string, Uint8Array>;
  readonly request: UnmaskRequest;
  /** Masked inputs of the survivors. */
  readonly masked: ReadonlyMap<string, Uint32Array>;
  /** Revealed shares, by the member that revealed them. */
  readonly responses: ReadonlyMap<string, UnmaskResponse>;
}

/**
 * The sum (mod 2^32) of the survivors' inputs. Throws, naming the member, when fewer than the
 * threshold of its neighbours revealed a share or the rebuilt secret is not the one committed.
 */
export async function unmaskedSum({
  roster,
  commitments,
  request,
  masked,
  responses,
}: UnmaskInputs) {
  const length = masked.values().next().value?.length ?? 0;
  const sum = new Uint32Array(length);
  for (const id of request.survivors) {
    const input = masked.get(id);
    if (!input || input.length !== length)
      throw new Error(`no masked input of ${length} words from ${id}`);
    addMask(sum, input, 1);
  }
  for (const id of request.survivors) {
    const seed = await rebuild(roster, responses, id, 'selfMaskShares');
    if (!nacl.verify(selfMaskCommitment(seed), commitments.get(id) ?? new Uint8Array(32)))
      throw new Error(`the self-mask seed rebuilt for ${id} is not the one it committed to`);
    addMask(sum, maskStream(seed, length), -1);
  }
  const survivors = new Set(request.survivors);
  for (const u of request.dropped) {
    const secretKey = await rebuild(roster, responses, u, 'maskKeyShares');
    const entry = roster.members.find((m) => m.id === u)!;
    if (!nacl.verify(nacl.scalarMult.base(secretKey), entry.maskKey))
      throw new Error(`the mask key rebuilt for ${u} does not match its public key`);
    // Each surviving neighbour v added maskSign(v, u) * PRG(s_vu) for u: take it back off.
    for (const v of roster.neighbours[u]!.filter((x) => survivors.has(x))) {
      const other = roster.members.find((m) => m.id === v)!;
      const seed = pairwiseSeed(nacl.scalarMult(secretKey, other.maskKey), roster.round);
      addMask(sum, maskStream(seed, length), maskSign(v, u) === 1 ? -1 : 1);
    }
  }
  return sum;
}

async function rebuild(
  roster: Roster,
  responses: ReadonlyMap<string, UnmaskResponse>,
  of: string,
  kind: 'selfMaskShares' | 'maskKeyShares',
): Promise<Uint8Array> {
  const shares: Uint8Array[] = [];
  for (const v of [of, ...roster.neighbours[of]!]) {
    const share = responses.get(v)?.[kind].find((s) => s.of === of)?.share;
    if (share) shares.push(share);
  }
  if (shares.length < roster.threshold)
    throw new Error(
      `${shares.length} shares of ${of}'s ${kind === 'selfMaskShares' ? 'self-mask seed' : 'mask key'} arrived, the threshold is ${roster.threshold}`,
    );
  return combine(shares.slice(0, roster.threshold));
}
