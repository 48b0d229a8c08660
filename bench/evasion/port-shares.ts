/**
 * What a flow's port-dependent traffic fields would read had the attacker moved it to another
 * port: the same per-host windows the traffic-feature stage keeps (same settings, same order of
 * look-ups), over a history in which the attacker's earlier flows went to that port too (a bot
 * is configured with one server port, so its whole campaign moves, and a flow moved alone would
 * look like the first of its kind when it is the hundredth). Other flows keep their ports.
 */

import { endpointKey, HostWindows } from '../../shared/flows/host-window.js';
import type { FlowRow } from '../../shared/flows/schema.js';
import { DEFAULT_TRAFFIC_FEATURES } from '../../shared/flows/traffic-features.js';
import type { PortShares } from './evasion-row.js';

export class PortShareTracker {
  /** @param movedTo the port the attacker's flows go to (null: the ports they had). */
  constructor(private readonly movedTo: number | null = null) {}

  private readonly settings = DEFAULT_TRAFFIC_FEATURES;
  private readonly sources = new HostWindows(
    this.settings.maxHosts,
    this.settings.maxConnectionsPerHost,
  );
  private readonly destinations = new HostWindows(
    this.settings.maxHosts,
    this.settings.maxConnectionsPerHost,
  );

  /**
   * Counts `row` (every row of the capture, in order; `moved` for the attacker's) and returns
   * the shares it reads at the port it is counted at; null for a row without time or addresses.
   */
  next(row: FlowRow, moved: boolean): PortShares | null {
    const context = row.context;
    if (!context || context.ts === null || !context.srcAddr || !context.dstAddr) return null;
    const { ts, srcAddr, dstAddr } = context;
    const since = ts - this.settings.windowSeconds;
    const source = this.sources.get(srcAddr, since);
    const destination = this.destinations.get(dstAddr, since);
    source.expire(since);
    destination.expire(since);
    const port = moved && this.movedTo !== null ? this.movedTo : (context.dstPort ?? -1);
    const shares = {
      srcSameEndpoint: fourDecimals(source.endpointShare(endpointKey(dstAddr, port))),
      dstSamePort: fourDecimals(destination.portShare(port)),
    };
    // The failed flag feeds only the failed shares, which no port changes; counted as not failed.
    source.add(ts, dstAddr, port, false, endpointKey(dstAddr, port));
    destination.add(ts, srcAddr, port, false, null);
    return shares;
  }
}

const fourDecimals = (share: number) => Math.round(share * 1e4) / 1e4;
