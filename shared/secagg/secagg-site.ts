/**
 * A site's side of one secure aggregation (Bonawitz et al. 2017; SecAgg+, Bell et al. 2020):
 * 1. advertise: two fresh X25519 public keys;
 * 2. shareKeys: Shamir shares of its self-mask seed and of its mask secret key, sealed to each
 *    neighbour in the published roster, plus a commitment to the seed;
 * 3. maskInput: its input plus its self mask plus one pairwise mask per neighbour still in,
 *    modulo 2^32, which alone looks uniformly random;
 * 4. unmask: for each neighbour, the share the coordinator needs: of the self-mask seed of one
 *    that sent its input, of the mask key of one that dropped out; never both of one site
 *    (with both, the coordinator could strip every mask from that site's input).
 * Secrets live in this object only, for one aggregation; a new round makes a new one.
 */
import { createHash } from 'node:crypto';
import { split } from 'shamir-secret-sharing';
import nacl from 'tweetnacl';
import { addMask, maskStream, pairwiseSeed } from './mask-stream.js';
import { maskSign, type Roster, rosterProblem } from './roster.js';
import { openShare, type SealedShare, type SharePair, sealShare } from './share-box.js';

export interface AdvertisedKeys {
  readonly cipherKey: Uint8Array;
  readonly maskKey: Uint8Array;
}

export interface KeyShares {
  readonly shares: readonly SealedShare[];
  /** SHA-256 of the self-mask seed: lets the coordinator check the seed it rebuilds. */
  readonly selfMaskCommitment: Uint8Array;
}

/** Which neighbours' inputs arrived (their self masks come off) and which dropped (their pairwise masks do). */
export interface UnmaskRequest {
  readonly survivors: readonly string[];
  readonly dropped: readonly string[];
}

export interface RevealedShare {
  /** The member whose secret this is a share of. */
  readonly of: string;
  readonly share: Uint8Array;
}

export interface UnmaskResponse {
  readonly selfMaskShares: readonly RevealedShare[];
  readonly maskKeyShares: readonly RevealedShare[];
}

/** The coordinator asked for something the protocol forbids; the site answers nothing. */
export class SecAggRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecAggRefusal';
  }
}

export function selfMaskCommitment(seed: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(seed).digest());
}

export class SecAggSite {
  private readonly cipher = nacl.box.keyPair();
  private readonly mask = nacl.box.keyPair();
  private readonly selfSeed = nacl.randomBytes(32);
  private roster: Roster | null = null;
  /** Members that sent their shares (step 2's survivors), as the coordinator said. */
  private sharers: ReadonlySet<string> | null = null;
  /** The shares neighbours sealed to this site, by sender, and this site's own. */
  private readonly held = new Map<string, SharePair>();
  /** Which of a neighbour's two secrets this site has revealed a share of. */
  private readonly revealed = new Map<string, 'selfMask' | 'maskKey'>();

  constructor(readonly id: string) {}

  advertise(): AdvertisedKeys {
    return { cipherKey: this.cipher.publicKey, maskKey: this.mask.publicKey };
  }

  async shareKeys(roster: Roster): Promise<KeyShares> {
    const problem = rosterProblem(roster, this.id);
    if (problem) throw new SecAggRefusal(`roster refused: ${problem}`);
    const me = roster.members.find((m) => m.id === this.id)!;
    if (
      !nacl.verify(me.cipherKey, this.cipher.publicKey) ||
      !nacl.verify(me.maskKey, this.mask.publicKey)
    )
      throw new SecAggRefusal(
        'roster refused: it lists other keys for this site than it advertised',
      );
    this.roster = roster;
    const neighbours = roster.neighbours[this.id]!;
    // One share per neighbour, and one this site keeps: it reveals it itself if it survives.
    const [selfShares, keyShares] = await Promise.all([
      split(this.selfSeed, neighbours.length + 1, roster.threshold),
      split(this.mask.secretKey, neighbours.length + 1, roster.threshold),
    ]);
    this.held.set(this.id, {
      selfMask: selfShares[neighbours.length]!,
      maskKey: keyShares[neighbours.length]!,
    });
    const shares = neighbours.map((to, i) =>
      sealShare(
        { selfMask: selfShares[i]!, maskKey: keyShares[i]! },
        { round: roster.round, from: this.id, to },
        {
          recipientCipherKey: this.member(to).cipherKey,
          senderCipherSecret: this.cipher.secretKey,
        },
      ),
    );
    return { shares, selfMaskCommitment: selfMaskCommitment(this.selfSeed) };
  }

  /**
   * `input` (ring words) masked. `shares` are those sealed to this site by the members in
   * `sharers` (the coordinator's list of who completed step 2); each must be there.
   */
  maskInput(
    input: Uint32Array,
    shares: readonly SealedShare[],
    sharers: readonly string[],
  ): Uint32Array {
    const roster = this.mustHaveRoster();
    const neighbours = roster.neighbours[this.id]!;
    const alive = new Set(sharers);
    if (!alive.has(this.id))
      throw new SecAggRefusal('this site is not among the sharers it is told of');
    for (const id of alive)
      if (!roster.members.some((m) => m.id === id))
        throw new SecAggRefusal(`sharer ${id} is not a member`);
    for (const sealed of shares) {
      if (sealed.to !== this.id)
        throw new SecAggRefusal(`a share for ${sealed.to} was routed here`);
      if (!neighbours.includes(sealed.from) || !alive.has(sealed.from))
        throw new SecAggRefusal(`a share from ${sealed.from}, not a neighbour among the sharers`);
      let pair: SharePair;
      try {
        pair = openShare(sealed, roster.round, {
          senderCipherKey: this.member(sealed.from).cipherKey,
          recipientCipherSecret: this.cipher.secretKey,
        });
      } catch (error) {
        // Refused, not a failure of this site: it takes no further part in this aggregation.
        throw new SecAggRefusal((error as Error).message);
      }
      this.held.set(sealed.from, pair);
    }
    const live = neighbours.filter((v) => alive.has(v));
    for (const v of live)
      if (!this.held.has(v)) throw new SecAggRefusal(`no share arrived from ${v}`);
    if (live.length + 1 < roster.threshold)
      throw new SecAggRefusal(
        `${live.length} neighbours shared their keys: with this site, fewer than the threshold ${roster.threshold}`,
      );
    this.sharers = alive;
    const masked = new Uint32Array(input);
    addMask(masked, maskStream(this.selfSeed, input.length), 1);
    for (const v of live) {
      const secret = nacl.scalarMult(this.mask.secretKey, this.member(v).maskKey);
      addMask(
        masked,
        maskStream(pairwiseSeed(secret, roster.round), input.length),
        maskSign(this.id, v),
      );
    }
    return masked;
  }

  /** The shares the coordinator needs to remove the masks; refuses a request that could unmask one site. */
  unmask(request: UnmaskRequest): UnmaskResponse {
    const roster = this.mustHaveRoster();
    const sharers = this.sharers;
    if (!sharers) throw new SecAggRefusal('unmask before this site masked its input');
    const survivors = new Set(request.survivors);
    const dropped = new Set(request.dropped);
    for (const id of survivors)
      if (dropped.has(id))
        throw new SecAggRefusal(
          `${id} is listed as both survived and dropped: that would unmask its input`,
        );
    for (const id of [...survivors, ...dropped])
      if (!sharers.has(id)) throw new SecAggRefusal(`${id} did not share its keys in this round`);
    for (const id of sharers)
      if (!survivors.has(id) && !dropped.has(id))
        throw new SecAggRefusal(`${id} shared its keys but is neither survived nor dropped`);
    if (!survivors.has(this.id))
      throw new SecAggRefusal('this site sent its input but is listed as dropped');
    if (survivors.size < roster.threshold)
      throw new SecAggRefusal(
        `${survivors.size} inputs arrived, fewer than the threshold ${roster.threshold}`,
      );
    const selfMaskShares: RevealedShare[] = [];
    const maskKeyShares: RevealedShare[] = [];
    for (const [of, pair] of this.held) {
      const want = survivors.has(of) ? 'selfMask' : 'maskKey';
      const before = this.revealed.get(of);
      if (before !== undefined && before !== want)
        throw new SecAggRefusal(
          `a share of ${of}'s ${before} was revealed already; refusing its ${want}`,
        );
      this.revealed.set(of, want);
      (want === 'selfMask' ? selfMaskShares : maskKeyShares).push({ of, share: pair[want] });
    }
    return { selfMaskShares, maskKeyShares };
  }

  private mustHaveRoster(): Roster {
    if (!this.roster) throw new SecAggRefusal('no roster yet: the key shares were never made');
    return this.roster;
  }

  private member(id: string) {
    return this.roster!.members.find((m) => m.id === id)!;
  }
}
