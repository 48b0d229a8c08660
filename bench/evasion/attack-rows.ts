/**
 * The flows the evasion bench searches and the normals it checks the thresholds on, read
 * through the product's own pipeline (read -> derive) as the model's schema asks: each file
 * on its own, so each capture's traffic context is its own. Attack flows are subsampled per
 * category, evenly spaced in file order.
 */
import { assertSchemaMatches } from '../../client/detect/loaded-model.js';
import type { FlowFormat } from '../../shared/flows/formats.js';
import { openPipeline } from '../../shared/flows/pipeline.js';
import type { FlowSchema } from '../../shared/flows/schema.js';
import { trafficDerivedIn } from '../../shared/flows/traffic-features.js';
import { attackCategory } from '../../shared/stats/attack-categories.js';
import type { EvasionRow } from './evasion-row.js';
import { PortShareTracker } from './port-shares.js';
import { COMMON_PORTS } from './zeek-edits.js';

export interface BenchRows {
  /** Attack flows to search, by category, at most `perCategory` each. */
  readonly attacks: Map<string, EvasionRow[]>;
  /** Attack flows per category before subsampling. */
  readonly attacksSeen: Record<string, number>;
  readonly normals: EvasionRow[];
}

export async function readBenchRows(
  files: readonly string[],
  format: FlowFormat,
  schema: FlowSchema,
  perCategory: number,
): Promise<BenchRows> {
  const all = new Map<string, EvasionRow[]>();
  const normals: EvasionRow[] = [];
  for (const file of files) {
    const derived = trafficDerivedIn(schema);
    if (derived.lastConnections > 0)
      throw new Error('the evasion bench derives port shares for the default window only');
    const pipeline = await openPipeline({
      files: [file],
      format,
      onlyLabel: null,
      read: {},
      ...derived,
    });
    assertSchemaMatches(schema, pipeline.schema, file);
    const names = schema.fields.map((f) => f.name);
    const proto = names.indexOf('proto');
    const tracker = derived.trafficFeatures ? new PortShareTracker() : null;
    for await (const row of pipeline.rows) {
      const label = row.label ?? 'unlabelled';
      const isAttack = label !== 'normal';
      const ports = isAttack && tracker ? candidatePorts(row.values, names, proto) : null;
      const portShares = tracker?.next(row, ports) ?? undefined;
      if (!isAttack) {
        normals.push({ values: row.values, label });
        continue;
      }
      if (portShares) checkShares(row.values, names, portShares, file, row.line);
      const category = attackCategory(label);
      const list = all.get(category) ?? [];
      list.push({ values: row.values, label, ...(portShares ? { portShares } : {}) });
      all.set(category, list);
    }
  }
  const attacksSeen = Object.fromEntries([...all].map(([c, rows]) => [c, rows.length]));
  const attacks = new Map([...all].map(([c, rows]) => [c, evenlySpaced(rows, perCategory)]));
  return { attacks, attacksSeen, normals };
}

/** Up to `n` of `rows`, evenly spaced, in order. */
export function evenlySpaced<T>(rows: readonly T[], n: number): T[] {
  if (rows.length <= n) return [...rows];
  return Array.from({ length: n }, (_, i) => rows[Math.floor((i * rows.length) / n)]!);
}

function candidatePorts(
  values: readonly (string | number)[],
  names: readonly string[],
  proto: number,
): string[] {
  const own = String(values[names.indexOf('id.resp_p')]);
  return [own, ...(COMMON_PORTS[String(values[proto])] ?? [])];
}

/** The replica of the stage's windows must give the stage's own values at the flow's own port. */
function checkShares(
  values: readonly (string | number)[],
  names: readonly string[],
  shares: ReadonlyMap<string, { srcSameEndpoint: number; dstSamePort: number }>,
  file: string,
  line: number,
): void {
  const own = shares.get(String(values[names.indexOf('id.resp_p')]))!;
  const src = values[names.indexOf('src_same_endpoint_share')];
  const dst = values[names.indexOf('dst_same_port_share')];
  if (own.srcSameEndpoint !== src || own.dstSamePort !== dst)
    throw new Error(
      `${file}:${line}: port shares replica gives ${own.srcSameEndpoint}/${own.dstSamePort}, the traffic-feature stage ${src}/${dst}`,
    );
}
