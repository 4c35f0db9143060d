/**
 * Regions of a connector's HA runtime: the cluster manager over its endpoints' regions, and the
 * probes that bring traffic back to a region calls no longer reach.
 *
 * @module
 */
import { ClusterManager, ErrorCode, FileForgeError } from '@fileforge/core';

/** Multi-region failover for a connector's endpoints. */
export interface RegionsOptions {
  /** Region calls go to while it is healthy (seed `primary_region`). */
  primary: string;
  /** Where to go instead, in order (seed `failover_regions`). @default [] */
  failover?: string[];
  /** Minimum success rate (%) over recent calls for a region to keep traffic. @default 90 */
  failoverThresholdPercent?: number;
  /**
   * After a failover, one call's attempt every this many ms goes to the primary as a probe:
   * a primary that answers is given a fresh result window, and two answering probes in a row
   * bring traffic back (failback). While no region qualifies (every region's recent calls
   * failed), calls are refused with `NO_HEALTHY_ENDPOINT`, except one attempt every this many
   * ms, which probes each region in turn (the primary, then the failover regions in order):
   * one that answers is given a fresh result window. @default 30000
   */
  failbackProbeIntervalMs?: number;
}

/**
 * The way back to a region traffic no longer reaches: its result window would never recover
 * on its own and nothing would check it. After a failover, every `failbackProbeIntervalMs`
 * one attempt goes to the primary instead; when no region qualifies at all, one attempt every
 * interval goes to each region in turn (primary, then the failover regions in order), so a
 * failover region that failed once is tried again too. An answer counts as a passing health
 * check with a fresh window (the primary fails back on two in a row, as the cluster
 * requires); a transient failure as a failing one.
 */
export function failbackProbes(
  cluster: ClusterManager,
  regions: RegionsOptions,
  order: readonly string[],
  now: () => number,
) {
  const every = regions.failbackProbeIntervalMs ?? 30_000;
  let nextAt = Number.POSITIVE_INFINITY;
  /** When a call found no region qualifying and no probe was due yet, the next probe's time. */
  let lockedOutUntil: number | undefined;
  let turn = 0;
  cluster.on('failover', ({ from }) => {
    if (from === regions.primary) nextAt = now() + every;
  });
  return {
    /** The region this attempt (bound for `active`) should probe instead: the primary, when due. */
    due(active: string | undefined): string | undefined {
      lockedOutUntil = undefined;
      turn = 0;
      if (active === regions.primary || now() < nextAt) return undefined;
      nextAt = now() + every;
      return regions.primary;
    },
    /**
     * The region this attempt, which found no region qualifying, should probe: one `every`
     * after the first such attempt, then one every `every`, each region in turn.
     */
    dueWithoutRegion(): string | undefined {
      if (lockedOutUntil === undefined) lockedOutUntil = now() + every;
      if (now() < lockedOutUntil) return undefined;
      lockedOutUntil = now() + every;
      const region = order[turn % order.length];
      turn++;
      return region;
    },
    probed(region: string, ok: boolean): void {
      if (ok) cluster.registerRegion(region, 'healthy');
      else cluster.updateRegion(region, 'unhealthy');
    },
  };
}

export function createCluster(regions: RegionsOptions, known: Array<string | undefined>, now: () => number) {
  const withEndpoints = new Set(known.filter((r): r is string => r !== undefined));
  if (!withEndpoints.has(regions.primary)) {
    throw new FileForgeError(
      ErrorCode.INVALID_CONFIG,
      `[fileforge:connectors] Region "${regions.primary}" (primary) has no endpoint; give endpoints a region`,
    );
  }
  const cluster = new ClusterManager({
    primaryRegion: regions.primary,
    failoverRegions: (regions.failover ?? []).filter((r) => withEndpoints.has(r)),
    failoverThresholdPercent: regions.failoverThresholdPercent ?? 90,
    now,
  });
  for (const name of withEndpoints) cluster.registerRegion(name, 'healthy');
  return cluster;
}
