/**
 * The sequence model's weights and their place in the one flat vector: a flow embedding (a
 * dense layer on the multi-hot row), a GRU cell over the embeddings of a host's earlier flows,
 * and an output layer from the GRU's last state, plus the flow's own earlier fields, to one
 * softmax per field. One manifest, so
 * federation, model directories and the optimiser carry it as they carry a VAE.
 */
import type { HistorySettings } from '../../encoding/host-history.js';
import {
  type ArchitectureSpec,
  DEFAULT_SEQUENCE,
  type ModelKind,
  type SequenceSpec,
  type WeightEntry,
} from '../model-spec.js';

/** The sequence settings of a gru architecture (the defaults for a spec that names none). */
export function sequenceOf(architecture: ArchitectureSpec): SequenceSpec {
  return architecture.sequence ?? DEFAULT_SEQUENCE;
}

/**
 * The GRU's weights in order. The cell follows the "reset after" form (as cuDNN's): the state's
 * three gate inputs come from one product h . recurrent, so a step costs two matMuls.
 */
export function gruManifest(architecture: ArchitectureSpec, inputWidth: number): WeightEntry[] {
  const { embedding: e, state: g } = sequenceOf(architecture);
  return [
    { name: 'embed.kernel', shape: [inputWidth, e] },
    { name: 'embed.bias', shape: [e] },
    { name: 'gru.kernel', shape: [e, 3 * g] },
    { name: 'gru.recurrent', shape: [g, 3 * g] },
    { name: 'gru.bias', shape: [3 * g] },
    { name: 'gru.recurrentBias', shape: [3 * g] },
    { name: 'out.kernel', shape: [g, inputWidth] },
    { name: 'out.bias', shape: [inputWidth] },
    // Field f's logits also see the flow's own fields before f (masked: within-flow.ts).
    { name: 'out.withinFlow', shape: [inputWidth, inputWidth] },
  ];
}

/** What a model of `kind` needs of each flow's past: the gru's history settings, else null. */
export function historySettingsFor(
  kind: ModelKind,
  architecture: ArchitectureSpec,
): HistorySettings | null {
  if (kind !== 'gru') return null;
  const { steps, maxHosts, gapSeconds } = sequenceOf(architecture);
  return { steps, maxHosts, gapSeconds };
}
