import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClusterManager, type ClusterManagerOptions } from './cluster-manager.js';
import { NoHealthyRegionError } from './errors.js';

const seedOptions: ClusterManagerOptions = {
  primaryRegion: 'us-east-1',
  failoverRegions: ['us-west-2', 'eu-west-1'],
};

function seed(options: Partial<ClusterManagerOptions> = {}) {
  const cluster = new ClusterManager({ ...seedOptions, ...options });
  cluster.registerRegion('us-east-1', 'healthy');
  cluster.registerRegion('us-west-2', 'healthy');
  cluster.registerRegion('eu-west-1', 'degraded');
  const events: string[] = [];
  cluster.on('failover', ({ from, to, reason }) => events.push(`failover ${from}→${to} (${reason})`));
  cluster.on('failback', ({ from, to }) => events.push(`failback ${from}→${to}`));
  return { cluster, events };
}

describe('ClusterManager', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('seed example: us-east-1 is active; marked unhealthy, traffic fails over to us-west-2', () => {
    const { cluster, events } = seed();
    expect(cluster.getActiveRegion()).toBe('us-east-1');
    cluster.updateRegion('us-east-1', 'unhealthy');
    expect(cluster.getActiveRegion()).toBe('us-west-2');
    expect(events).toEqual(['failover us-east-1→us-west-2 (us-east-1 is unhealthy)']);
  });

  it('fails over when the success rate drops below failoverThresholdPercent', () => {
    const { cluster, events } = seed({ resultWindow: 10 });
    for (let i = 0; i < 9; i++) cluster.reportResult('us-east-1', true);
    cluster.reportResult('us-east-1', false);
    expect(cluster.getActiveRegion()).toBe('us-east-1'); // 90 % qualifies (inclusive)
    cluster.reportResult('us-east-1', false); // window of 10: 8 ok of 10
    expect(cluster.getActiveRegion()).toBe('us-west-2');
    expect(events[0]).toMatch(/us-east-1 success rate 80\.0 % < 90 %/);
  });

  it('fails back only after the primary qualifies on 2 consecutive checks', () => {
    const { cluster, events } = seed();
    cluster.updateRegion('us-east-1', 'unhealthy');
    cluster.updateRegion('us-east-1', 'healthy');
    expect(cluster.getActiveRegion()).toBe('us-west-2');
    cluster.updateRegion('us-east-1', 'unhealthy');
    cluster.updateRegion('us-east-1', 'healthy');
    expect(cluster.getActiveRegion()).toBe('us-west-2');
    cluster.updateRegion('us-east-1', 'healthy');
    expect(cluster.getActiveRegion()).toBe('us-east-1');
    expect(events.at(-1)).toBe('failback us-west-2→us-east-1');
  });

  it('after a failover driven by results, fails back only on 2 checks made after it', () => {
    const { cluster, events } = seed({ resultWindow: 4 });
    cluster.updateRegion('us-east-1', 'healthy'); // a streak from before the trouble
    for (let i = 0; i < 4; i++) cluster.reportResult('us-east-1', false);
    expect(cluster.getActiveRegion()).toBe('us-west-2');
    for (let i = 0; i < 4; i++) cluster.reportResult('us-east-1', true);
    // The rate recovered, but no health check has seen the primary since: no failback yet.
    expect(cluster.getActiveRegion()).toBe('us-west-2');
    cluster.updateRegion('us-east-1', 'healthy');
    expect(cluster.getActiveRegion()).toBe('us-west-2');
    cluster.updateRegion('us-east-1', 'healthy');
    expect(cluster.getActiveRegion()).toBe('us-east-1');
    expect(events.map((e) => e.split(' (')[0])).toEqual([
      'failover us-east-1→us-west-2',
      'failback us-west-2→us-east-1',
    ]);
  });

  it('falls to the first degraded region, then throws NoHealthyRegionError', () => {
    const { cluster } = seed();
    cluster.updateRegion('us-east-1', 'unhealthy');
    cluster.updateRegion('us-west-2', 'unhealthy');
    expect(cluster.getActiveRegion()).toBe('eu-west-1');
    cluster.updateRegion('us-east-1', 'degraded');
    expect(cluster.getActiveRegion()).toBe('us-east-1'); // degraded, primary first
    cluster.updateRegion('us-east-1', 'unhealthy');
    cluster.updateRegion('eu-west-1', 'unknown');
    expect(() => cluster.getActiveRegion()).toThrow(NoHealthyRegionError);
    try {
      cluster.getActiveRegion();
    } catch (error) {
      expect(error).toMatchObject({ code: 'NO_HEALTHY_ENDPOINT', name: 'NoHealthyRegionError' });
    }
  });

  it('does not count a region as qualifying before its first check', () => {
    const cluster = new ClusterManager(seedOptions);
    cluster.registerRegion('us-east-1');
    cluster.registerRegion('us-west-2', 'healthy');
    expect(cluster.getActiveRegion()).toBe('us-west-2');
  });

  it('runs the health check every healthCheckIntervalSeconds on an unref’d timer until close()', async () => {
    vi.useFakeTimers();
    const statuses: Record<string, 'healthy' | 'unhealthy'> = {
      'us-east-1': 'healthy',
      'us-west-2': 'healthy',
    };
    const healthCheck = vi.fn(async (region: string) => {
      if (region === 'eu-west-1') throw new Error('unreachable');
      return statuses[region]!;
    });
    const { cluster } = seed({ healthCheck, healthCheckIntervalSeconds: 30 });
    statuses['us-east-1'] = 'unhealthy';
    await vi.advanceTimersByTimeAsync(30_000);
    expect(healthCheck).toHaveBeenCalledTimes(3);
    expect(cluster.getActiveRegion()).toBe('us-west-2');
    expect(cluster.stats().regions.find((r) => r.name === 'eu-west-1')?.status).toBe('unhealthy');
    statuses['us-east-1'] = 'healthy';
    await vi.advanceTimersByTimeAsync(60_000);
    expect(cluster.getActiveRegion()).toBe('us-east-1');
    cluster.close();
    await vi.advanceTimersByTimeAsync(300_000);
    expect(healthCheck).toHaveBeenCalledTimes(9);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reports statuses, success rates and the active region', () => {
    const { cluster } = seed({ now: () => 42 });
    cluster.reportResult('us-west-2', true);
    cluster.reportResult('us-west-2', false);
    expect(cluster.stats()).toEqual({
      active: 'us-east-1',
      regions: [
        { name: 'us-east-1', status: 'healthy', checkedAt: 42, successRate: null },
        { name: 'us-west-2', status: 'healthy', checkedAt: 42, successRate: 50 },
        { name: 'eu-west-1', status: 'degraded', checkedAt: 42, successRate: null },
      ],
    });
  });

  it('rejects bad options and unknown regions', () => {
    expect(() => new ClusterManager({ primaryRegion: '' })).toThrow(/primaryRegion/);
    expect(() => new ClusterManager({ primaryRegion: 'a', failoverThresholdPercent: 120 })).toThrow(
      /failoverThreshold/,
    );
    expect(() => new ClusterManager({ primaryRegion: 'a' }).updateRegion('b', 'healthy')).toThrow(
      /unknown region/,
    );
  });
});
