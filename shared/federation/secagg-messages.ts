/**
 * The messages of a secure-aggregation training round (shared/secagg): what each of its four
 * tasks carries to a site, and what a site answers. Everything a site sends is either public
 * (its two fresh public keys), sealed to a neighbour (shares of random secrets), masked (its
 * weighted delta plus masks, uniform on its own), or a share the protocol lets it reveal.
 */
import type { SecureEncoding } from '../secagg/masked-input.js';
import type { Roster } from '../secagg/roster.js';
import type { RevealedShare, UnmaskRequest } from '../secagg/secagg-site.js';
import type { SealedShare } from '../secagg/share-box.js';

/** What a secure-aggregation task carries besides the common task fields. */
export type SecAggTaskData =
  | { readonly step: 'keys'; readonly session: string }
  | { readonly step: 'shares'; readonly session: string; readonly roster: Roster }
  | {
      readonly step: 'input';
      readonly session: string;
      /** Members whose shares arrived; the site adds pairwise masks with these neighbours. */
      readonly sharers: readonly string[];
      /** The shares sealed to this site. */
      readonly shares: readonly SealedShare[];
      readonly encoding: SecureEncoding;
    }
  | { readonly step: 'unmask'; readonly session: string; readonly request: UnmaskRequest };

export interface SecAggKeysPayload {
  readonly kind: 'secagg-keys';
  readonly cipherKey: Uint8Array;
  readonly maskKey: Uint8Array;
}

export interface SecAggSharesPayload {
  readonly kind: 'secagg-shares';
  readonly shares: readonly SealedShare[];
  readonly selfMaskCommitment: Uint8Array;
}

/** A site's weighted delta, examples and loss in fixed point, masked: uniform on its own. */
export interface MaskedDeltaPayload {
  readonly kind: 'masked-delta';
  readonly modelVersion: number;
  readonly masked: Uint32Array;
}

export interface SecAggUnmaskPayload {
  readonly kind: 'secagg-unmask';
  readonly selfMaskShares: readonly RevealedShare[];
  readonly maskKeyShares: readonly RevealedShare[];
}

export type SecAggPayload =
  | SecAggKeysPayload
  | SecAggSharesPayload
  | MaskedDeltaPayload
  | SecAggUnmaskPayload;
