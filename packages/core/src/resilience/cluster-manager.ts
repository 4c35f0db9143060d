import { invalidOption } from './backoff.js';
import { Emitter, type Listener, type Unsubscribe } from './emitter.js';
import { NoHealthyRegionError } from './errors.js';

/**
 * How this works: each region has a status (from `registerRegion`/`updateRegion` or the
 * periodic health check) and a window of recent call results (`reportResult`). A region
 * *qualifies* when it is `healthy` and its success rate over that window is at least
 * `failoverThresholdPercent`. The active region is the primary when it qualifies, else the
 * first qualifying failover region, else the first `degraded` one. Once failed over, the
 * primary must qualify on 2 consecutive health checks before traffic goes back (no flapping).
 */

/** A region's health; `unknown` until its first check. */
export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy' | 'unknown';

/** The typed events of a {@link ClusterManager}. */
export interface ClusterEvents {
  /** Traffic moved away from `from` (the primary or an earlier failover region). */
  failover: { from: string; to: string; reason: string };
  /** Traffic came back to the primary. */
  failback: { from: string; to: string };
}

/** What {@link ClusterManager.stats} returns. */
export interface ClusterStats {
  active: string | null;
  regions: { name: string; status: HealthStatus; checkedAt: number; successRate: number | null }[];
}

/** Options for {@link ClusterManager}. */
export interface ClusterManagerOptions {
  /** The region traffic goes to while it qualifies (seed knob `primary_region`). */
  primaryRegion: string;
  /** Where to go instead, in order (seed knob `failover_regions`). @default [] */
  failoverRegions?: readonly string[];
  /** Minimum success rate, in %, over the result window (seed knob `failover_threshold_percent`). @default 90 */
  failoverThresholdPercent?: number;
  /** How many recent `reportResult`s the success rate covers. @default 100 */
  resultWindow?: number;
  /**
   * Checks one region; run for every region every `healthCheckIntervalSeconds` (and by
   * `checkNow()`). A throw or rejection counts as `unhealthy`. @default none (statuses come from `updateRegion`)
   */
  healthCheck?: (region: string, signal: AbortSignal) => Promise<HealthStatus> | HealthStatus;
  /** Seed knob `health_check_interval_seconds`. @default 30 */
  healthCheckIntervalSeconds?: number;
  /** Clock in ms, for `stats().regions[].checkedAt`. @default Date.now */
  now?: () => number;
}

interface Region {
  status: HealthStatus;
  /** Clock time of the last status (registration, update or health check). */
  checkedAt: number;
  /** Ring of recent results, true = ok. */
  results: boolean[];
  next: number;
}

/**
 * Multi-region failover.
 *
 * @example
 * ```ts
 * const cluster = new ClusterManager({ primaryRegion: 'us-east-1', failoverRegions: ['us-west-2', 'eu-west-1'] });
 * cluster.registerRegion('us-east-1', 'healthy');
 * cluster.registerRegion('us-west-2', 'healthy');
 * cluster.on('failover', ({ from, to, reason }) => log.warn(`${from} → ${to}: ${reason}`));
 * const region = cluster.getActiveRegion();
 * ```
 */
export class ClusterManager {
  private readonly events = new Emitter<ClusterEvents>();
  private readonly regions = new Map<string, Region>();
  private readonly primary: string;
  private readonly order: readonly string[];
  private readonly threshold: number;
  private readonly window: number;
  private readonly healthCheck: ClusterManagerOptions['healthCheck'];
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private active: string | undefined;
  /** Consecutive health checks on which the primary qualified. */
  private primaryStreak = 0;
  private readonly now: () => number;

  constructor(options: ClusterManagerOptions) {
    if (typeof options?.primaryRegion !== 'string' || options.primaryRegion === '') {
      throw invalidOption('"primaryRegion" is required', 'cluster');
    }
    this.primary = options.primaryRegion;
    const failover = (options.failoverRegions ?? []).filter((r) => r !== this.primary);
    this.order = [this.primary, ...new Set(failover)];
    this.threshold = options.failoverThresholdPercent ?? 90;
    if (!(this.threshold >= 0 && this.threshold <= 100)) {
      throw invalidOption(
        `"failoverThresholdPercent" must be in [0, 100], got ${String(this.threshold)}`,
        'cluster',
      );
    }
    this.window = options.resultWindow ?? 100;
    if (!Number.isInteger(this.window) || this.window < 1) {
      throw invalidOption(`"resultWindow" must be an integer ≥ 1, got ${String(this.window)}`, 'cluster');
    }
    this.healthCheck = options.healthCheck;
    this.now = options.now ?? Date.now;
    if (this.healthCheck) {
      const seconds = options.healthCheckIntervalSeconds ?? 30;
      if (!(seconds > 0 && Number.isFinite(seconds))) {
        throw invalidOption(
          `"healthCheckIntervalSeconds" must be a finite number > 0, got ${String(seconds)}`,
          'cluster',
        );
      }
      // unref'd: a forgotten close() never keeps the process alive
      this.timer = setInterval(() => void this.checkNow(), seconds * 1000);
      this.timer.unref();
    }
  }

  /** Listens to a typed event; returns a function that removes the listener. */
  on<K extends keyof ClusterEvents>(event: K, listener: Listener<ClusterEvents[K]>): Unsubscribe {
    return this.events.on(event, listener);
  }

  /** Adds a region (or resets one) with its status. @default status 'unknown' */
  registerRegion(name: string, status: HealthStatus = 'unknown'): void {
    this.regions.set(name, { status, checkedAt: this.now(), results: [], next: 0 });
    this.check(name);
  }

  /** Records a health check's outcome for `name`. */
  updateRegion(name: string, status: HealthStatus): void {
    const region = this.region(name);
    region.status = status;
    region.checkedAt = this.now();
    this.check(name);
  }

  /** Records one call's outcome in `name`'s result window. */
  reportResult(name: string, ok: boolean): void {
    const region = this.region(name);
    if (region.results.length < this.window) region.results.push(ok);
    else region.results[region.next] = ok;
    region.next = (region.next + 1) % this.window;
    // A primary that stops qualifying between checks starts its failback streak again.
    if (name === this.primary && !this.qualifies(name)) this.primaryStreak = 0;
    this.evaluate();
  }

  /**
   * Where traffic goes now: the primary if it qualifies (after a failover: on 2 consecutive
   * checks), else the first qualifying failover region, else the first `degraded` region
   * (primary first). Emits `failover`/`failback` when this changes.
   * @throws NoHealthyRegionError when no region is healthy or degraded.
   */
  getActiveRegion(): string {
    const next = this.choose();
    if (next === undefined) throw new NoHealthyRegionError([...this.regions.keys()]);
    return next;
  }

  /** The active region, and each region's status, when it was last set, and success rate (%; null with no results yet). */
  stats(): ClusterStats {
    return {
      active: this.active ?? null,
      regions: [...this.regions].map(([name, r]) => ({
        name,
        status: r.status,
        checkedAt: r.checkedAt,
        successRate: this.rate(r),
      })),
    };
  }

  /** Runs `healthCheck` for every region now (the periodic timer calls this too). */
  async checkNow(): Promise<void> {
    const check = this.healthCheck;
    if (!check) return;
    await Promise.all(
      [...this.regions.keys()].map(async (name) => {
        let status: HealthStatus;
        try {
          status = await check(name, this.controller.signal);
        } catch {
          status = 'unhealthy';
        }
        if (!this.controller.signal.aborted && this.regions.has(name)) this.updateRegion(name, status);
      }),
    );
  }

  /** Stops the periodic health check and aborts any running one. */
  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.controller.abort();
  }

  private region(name: string): Region {
    const region = this.regions.get(name);
    if (!region) throw invalidOption(`unknown region "${name}"; registerRegion() it first`, 'cluster');
    return region;
  }

  private rate(region: Region): number | null {
    if (region.results.length === 0) return null;
    let ok = 0;
    for (const r of region.results) if (r) ok++;
    return (ok / region.results.length) * 100;
  }

  private qualifies(name: string): boolean {
    const region = this.regions.get(name);
    if (region?.status !== 'healthy') return false;
    const rate = this.rate(region);
    return rate === null || rate >= this.threshold;
  }

  private why(name: string): string {
    const region = this.regions.get(name);
    if (!region) return `${name} is not registered`;
    if (region.status !== 'healthy') return `${name} is ${region.status}`;
    return `${name} success rate ${this.rate(region)?.toFixed(1)} % < ${this.threshold} %`;
  }

  /** A health check of `name` happened: track the primary's qualifying streak, then re-evaluate. */
  private check(name: string): void {
    if (name === this.primary) this.primaryStreak = this.qualifies(name) ? this.primaryStreak + 1 : 0;
    this.evaluate();
  }

  private evaluate(): void {
    this.choose();
  }

  private choose(): string | undefined {
    const primaryOk = this.qualifies(this.primary);
    const failedOver = this.active !== undefined && this.active !== this.primary;
    let next: string | undefined;
    if (primaryOk && (!failedOver || this.primaryStreak >= 2)) next = this.primary;
    next ??= this.order.find((name) => name !== this.primary && this.qualifies(name));
    // better a healthy primary on its first good check than a degraded region
    if (next === undefined && primaryOk) next = this.primary;
    next ??= this.order.find((name) => this.regions.get(name)?.status === 'degraded');
    const previous = this.active;
    if (next === undefined || next === previous) return next;
    this.active = next;
    // Checks from before a failover never count towards the failback (no flapping).
    if (previous === this.primary) this.primaryStreak = 0;
    if (previous === undefined) return next;
    if (next === this.primary) this.events.emit('failback', { from: previous, to: next });
    else this.events.emit('failover', { from: previous, to: next, reason: this.why(previous) });
    return next;
  }
}
