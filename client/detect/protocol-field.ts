import type { ModelSpec } from '../../shared/model/model-spec.js';

/**
 * The model field that holds a flow's transport protocol (Zeek's and Suricata's `proto`,
 * nfdump's `pr`), or -1: alert lines name the flow by it too.
 */
export function protocolField(spec: ModelSpec): number {
  const names = spec.encoder.fields.map((field) => field.name);
  return Math.max(names.indexOf('proto'), names.indexOf('pr'));
}
