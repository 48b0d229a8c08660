/** The input formats fedflow reads, as named on the command line (`--format`). */
export const FLOW_FORMATS = ['nsl-kdd', 'kdd99', 'zeek', 'suricata-eve', 'nfdump', 'csv'] as const;
export type FlowFormat = (typeof FLOW_FORMATS)[number];

export function parseFlowFormat(text: string): FlowFormat {
  if ((FLOW_FORMATS as readonly string[]).includes(text)) return text as FlowFormat;
  throw new Error(`unknown flow format '${text}': expected one of ${FLOW_FORMATS.join(', ')}`);
}
