/** A flow as the evasion search edits it: its model values (read and derived) and its label. */

/** A flow's derived fields that depend on its own responder port, under its real history. */
export interface PortShares {
  /** src_same_endpoint_share: the source's connections to this destination and port. */
  readonly srcSameEndpoint: number;
  /** dst_same_port_share: the destination's connections on this port. */
  readonly dstSamePort: number;
}

export interface EvasionRow {
  /** One value per model field (the model's schema order), derived fields included. */
  readonly values: readonly (string | number)[];
  readonly label: string;
  /**
   * With traffic features: for each responder port the search may move the flow to (and its
   * own), what the port-dependent derived fields would read given the earlier, unperturbed flows.
   */
  readonly portShares?: ReadonlyMap<string, PortShares>;
}

/** The index of each named field in a schema's field list (-1 when absent). */
export function fieldIndex(names: readonly string[]): (name: string) => number {
  const at = new Map(names.map((name, i) => [name, i]));
  return (name) => at.get(name) ?? -1;
}

/** A numeric value as a number (unset fields read as 0). */
export const num = (value: string | number | undefined): number =>
  typeof value === 'number' ? value : 0;
