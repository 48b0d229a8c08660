/** Small in-memory flow data for model tests: two categorical and two numeric fields. */
import type { FlowRow, FlowSchema } from '../../shared/flows/schema.js';

export const TOY_SCHEMA: FlowSchema = {
  name: 'toy',
  fields: [
    { name: 'proto', kind: 'categorical' },
    { name: 'service', kind: 'categorical' },
    { name: 'bytes', kind: 'numeric', numeric: 'bytes' },
    { name: 'syn_only', kind: 'numeric', numeric: 'flag' },
  ],
};

/** Deterministic rows: mostly tcp/http with ~1 kB, every `anomalyEvery`-th row odd (udp/ssh, huge). */
export function toyRows(count: number, anomalyEvery = 0): FlowRow[] {
  const rows: FlowRow[] = [];
  for (let i = 0; i < count; i++) {
    const odd = anomalyEvery > 0 && i % anomalyEvery === anomalyEvery - 1;
    const service = odd ? 'ssh' : ['http', 'https', 'dns'][i % 3]!;
    const proto = odd ? 'icmp' : service === 'dns' ? 'udp' : 'tcp';
    const bytes = odd ? 5e8 + i : service === 'dns' ? 60 + (i % 40) : 800 + ((i * 37) % 900);
    rows.push({
      line: i + 1,
      values: [proto, service, bytes, odd ? 1 : 0],
      label: odd ? 'attack' : 'normal',
    });
  }
  return rows;
}
