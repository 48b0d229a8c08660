/**
 * What a flow's port-dependent traffic fields would read had it gone to another port, given the
 * earlier flows as they were: the same per-host windows the traffic-feature stage keeps (same
 * settings, same order of look-ups), asked for each candidate port before the flow is counted.
 * The search moves one flow at a time; later flows keep the history the capture really had.
 */

import { endpointKey, HostWindows } from '../../shared/flows/host-window.js';
import type { FlowRow } from '../../shared/flows/schema.js';
import { DEFAULT_TRAFFIC_FEATURES } from '../../shared/flows/traffic-features.js';
import type { PortShares } from './evasion-row.js';

export class PortShareTracker {
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
   * Counts `row` (every row of the capture, in order) and, when `ports` are given, returns the
   * shares the row would have on each of them; null for a row without time or addresses.
   */
  next(row: FlowRow, ports: readonly string[] | null): Map<string, PortShares> | null {
    const context = row.context;
    if (!context || context.ts === null || !context.srcAddr || !context.dstAddr) return null;
    const { ts, srcAddr, dstAddr } = context;
    const since = ts - this.settings.windowSeconds;
    const source = this.sources.get(srcAddr, since);
    const destination = this.destinations.get(dstAddr, since);
    source.expire(since);
    destination.expire(since);
    let shares: Map<string, PortShares> | null = null;
    if (ports) {
      shares = new Map();
      for (const port of ports) {
        const p = Number(port);
        shares.set(port, {
          srcSameEndpoint: fourDecimals(source.endpointShare(endpointKey(dstAddr, p))),
          dstSamePort: fourDecimals(destination.portShare(p)),
        });
      }
    }
    const port = context.dstPort ?? -1;
    // The failed flag feeds only the failed shares, which no port changes; counted as not failed.
    source.add(ts, dstAddr, port, false, endpointKey(dstAddr, port));
    destination.add(ts, srcAddr, port, false, null);
    return shares;
  }
}

const fourDecimals = (share: number) => Math.round(share * 1e4) / 1e4;
