/**
 * The flows the evasion bench searches and the normals it checks the thresholds on, read
 * through the product's own pipeline (read -> derive) as the model's schema asks: each file
 * on its own, so each capture's traffic context is its own. Attack flows are subsampled per
 * category, evenly spaced in file order. With traffic features, each attack flow carries its
 * port-dependent shares for each port it may move to (see port-shares.ts).
 */
import { assertSchemaMatches } from '../../client/detect/loaded-model.js';
import type { FlowFormat } from '../../shared/flows/formats.js';
import { openPipeline } from '../../shared/flows/pipeline.js';
import type { FlowSchema } from '../../shared/flows/schema.js';
import { trafficDerivedIn } from '../../shared/flows/traffic-features.js';
import { attackCategory } from '../../shared/stats/attack-categories.js';
import type { EvasionRow, PortShares } from './evasion-row.js';
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
    const real = derived.trafficFeatures ? new PortShareTracker() : null;
    const moved = new Map(
      real ? MOVABLE_PORTS.map((p) => [p, new PortShareTracker(Number(p))] as const) : [],
    );
    for await (const row of pipeline.rows) {
      const label = row.label ?? 'unlabelled';
      const isAttack = label !== 'normal';
      const own = real?.next(row, false) ?? null;
      const shares = new Map<string, PortShares>();
      for (const [port, tracker] of moved) {
        const at = tracker.next(row, isAttack);
        if (at && isAttack && COMMON_PORTS[String(row.values[proto])]?.includes(port))
          shares.set(port, at);
      }
      if (!isAttack) {
        normals.push({ values: row.values, label });
        continue;
      }
      let portShares: Map<string, PortShares> | undefined;
      if (own) {
        checkShares(row.values, names, own, file, row.line);
        portShares = shares.set(String(row.values[names.indexOf('id.resp_p')]), own);
      }
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

/** Every port the search may move a flow to. */
const MOVABLE_PORTS = [...new Set(Object.values(COMMON_PORTS).flat())];

/** The replica of the stage's windows must give the stage's own values at the flow's own port. */
function checkShares(
  values: readonly (string | number)[],
  names: readonly string[],
  own: PortShares,
  file: string,
  line: number,
): void {
  const src = values[names.indexOf('src_same_endpoint_share')];
  const dst = values[names.indexOf('dst_same_port_share')];
  if (own.srcSameEndpoint !== src || own.dstSamePort !== dst)
    throw new Error(
      `${file}:${line}: port shares replica gives ${own.srcSameEndpoint}/${own.dstSamePort}, the traffic-feature stage ${src}/${dst}`,
    );
}
