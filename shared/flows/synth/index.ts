/**
 * fedflow's built-in data: labelled synthetic Zeek conn.log traffic for three kinds of
 * organisation, for the demo and for tests that must not depend on external data sets.
 */
import { ATTACK_KINDS, type AttackKind } from './flow.js';
import { generateFlows, resolveSynthOptions, type SynthOptions } from './generate.js';
import { writeConnLog } from './zeek-writer.js';

export {
  ATTACK_KINDS,
  type AttackKind,
  type ConnState,
  type FlowLabel,
  ORGANISATION_PROFILES,
  type OrganisationProfile,
  type SyntheticFlow,
  type TransportProto,
} from './flow.js';
export {
  DEFAULT_START_TIME,
  generateFlows,
  type ResolvedSynthOptions,
  resolveSynthOptions,
  type SynthOptions,
} from './generate.js';
export {
  CONN_LOG_FIELDS,
  CONN_LOG_TYPES,
  connLogChunks,
  connLogFields,
  connLogHeader,
  formatConnLine,
  UNSET_FIELD,
} from './zeek-writer.js';

/** What {@link writeSyntheticConnLog} wrote. */
export interface SynthSummary {
  flows: number;
  attacks: Record<AttackKind, number>;
}

/**
 * Generates flows and writes them to `path` as a Zeek conn.log with a `label` column. Equal
 * options give byte-identical files.
 *
 * @example
 * const summary = await writeSyntheticConnLog('site-a.log', {
 *   profile: 'mail-dns', flows: 100_000, seed: 1, attackShare: 0.02,
 * });
 * // summary.attacks.scan: how many scan connections the file holds
 */
export async function writeSyntheticConnLog(
  path: string,
  options: SynthOptions,
): Promise<SynthSummary> {
  const { startTime } = resolveSynthOptions(options);
  const attacks = Object.fromEntries(ATTACK_KINDS.map((kind) => [kind, 0])) as Record<
    AttackKind,
    number
  >;
  let flows = 0;
  function* counted() {
    for (const flow of generateFlows(options)) {
      flows++;
      if (flow.label !== 'normal') attacks[flow.label]++;
      yield flow;
    }
  }
  await writeConnLog(path, counted(), startTime);
  return { flows, attacks };
}
