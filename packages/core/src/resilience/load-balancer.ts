import { invalidOption } from './backoff.js';
import { NoHealthyEndpointError } from './errors.js';

/**
 * How this works: nginx's smooth weighted round-robin. On each pick every eligible endpoint
 * adds its weight to its `current`; the largest `current` wins (ties → the earlier endpoint)
 * and gives back the total. Over any Σweights picks each endpoint is chosen exactly `weight`
 * times, spread evenly (a a b a c a a for 5:1:1, not a a a a a b c). Health is passive, as
 * nginx's `max_fails`/`fail_timeout`: `maxFails` failures within `failTimeoutMs` eject an
 * endpoint for `failTimeoutMs`, after which one pick is let through as a probe.
 */

/** An endpoint and its weight (a positive integer). */
export interface Endpoint {
  url: string;
  /** @default 1 */
  weight?: number;
}

/** Per-endpoint figures from {@link LoadBalancer.stats}. */
export interface EndpointStats {
  url: string;
  weight: number;
  /** Not marked unhealthy and not ejected. */
  healthy: boolean;
  picks: number;
  failures: number;
}

/** Options for {@link LoadBalancer}. */
export interface LoadBalancerOptions {
  /** Failures within `failTimeoutMs` that eject an endpoint (nginx `max_fails`). @default 1 */
  maxFails?: number;
  /** The failure window, and how long an ejected endpoint is skipped (nginx `fail_timeout`). @default 10000 */
  failTimeoutMs?: number;
  /**
   * When no endpoint is eligible, balance over all of them instead of throwing
   * `NoHealthyEndpointError` (Envoy's panic mode: some traffic may still get through). @default false
   */
  panicMode?: boolean;
  /** Clock in ms. @default Date.now */
  now?: () => number;
}

interface Peer {
  url: string;
  weight: number;
  current: number;
  picks: number;
  failures: number;
  /** Clock times of recent failures, within failTimeoutMs. */
  recent: number[];
  /** Ejected until this time; after it, one probe pick. */
  ejectedUntil: number;
  down: boolean;
}

/**
 * A weighted load balancer with passive health checks.
 *
 * @example
 * ```ts
 * const balancer = new LoadBalancer([{ url: 'https://a', weight: 5 }, { url: 'https://b' }]);
 * const url = balancer.getNext();
 * try {
 *   await call(url);
 *   balancer.markSuccess(url);
 * } catch (error) {
 *   balancer.markFailure(url);
 * }
 * ```
 */
export class LoadBalancer {
  private readonly peers: Peer[];
  private readonly byUrl = new Map<string, Peer>();
  private readonly maxFails: number;
  private readonly failTimeoutMs: number;
  private readonly panicMode: boolean;
  private readonly now: () => number;

  /** @param endpoints a list, or a record of url → weight (`{ a: 5, b: 1 }`). */
  constructor(
    endpoints: readonly Endpoint[] | Readonly<Record<string, number>>,
    options: LoadBalancerOptions = {},
  ) {
    const list: Endpoint[] = Array.isArray(endpoints)
      ? [...(endpoints as readonly Endpoint[])]
      : Object.entries(endpoints).map(([url, weight]) => ({ url, weight }));
    if (list.length === 0) throw invalidOption('at least one endpoint is needed', 'balancer');
    this.peers = list.map(({ url, weight = 1 }) => {
      if (!Number.isInteger(weight) || weight < 1) {
        throw invalidOption(`weight of "${url}" must be an integer ≥ 1, got ${String(weight)}`, 'balancer');
      }
      if (this.byUrl.has(url)) throw invalidOption(`endpoint "${url}" is listed twice`, 'balancer');
      const peer: Peer = {
        url,
        weight,
        current: 0,
        picks: 0,
        failures: 0,
        recent: [],
        ejectedUntil: 0,
        down: false,
      };
      this.byUrl.set(url, peer);
      return peer;
    });
    this.maxFails = options.maxFails ?? 1;
    this.failTimeoutMs = options.failTimeoutMs ?? 10_000;
    if (!Number.isInteger(this.maxFails) || this.maxFails < 1) {
      throw invalidOption(`"maxFails" must be an integer ≥ 1, got ${String(options.maxFails)}`, 'balancer');
    }
    if (!(this.failTimeoutMs >= 0 && Number.isFinite(this.failTimeoutMs))) {
      throw invalidOption(`"failTimeoutMs" must be a finite number ≥ 0`, 'balancer');
    }
    this.panicMode = options.panicMode ?? false;
    this.now = options.now ?? Date.now;
  }

  /**
   * The next endpoint's url. An ejected endpoint whose `failTimeoutMs` is over takes part
   * again, and once picked is ejected for another `failTimeoutMs` unless `markSuccess` comes first.
   * @throws NoHealthyEndpointError when none is eligible (without `panicMode`).
   */
  getNext(): string {
    const now = this.now();
    let chosen = this.pick((p) => !p.down && p.ejectedUntil <= now);
    if (!chosen) {
      if (!this.panicMode) throw new NoHealthyEndpointError(this.peers.length);
      chosen = this.pick(() => true)!;
    } else if (chosen.ejectedUntil > 0) {
      // the probe: no second request until it reports, or another failTimeoutMs passes
      chosen.ejectedUntil = now + this.failTimeoutMs;
    }
    chosen.picks++;
    return chosen.url;
  }

  /** Reports a successful request: forgets the endpoint's recent failures and ends any ejection. */
  markSuccess(url: string): void {
    const peer = this.peer(url);
    peer.recent = [];
    peer.ejectedUntil = 0;
  }

  /** Reports a failed request; `maxFails` of them within `failTimeoutMs` eject the endpoint. */
  markFailure(url: string): void {
    const peer = this.peer(url);
    const now = this.now();
    peer.failures++;
    peer.recent = peer.recent.filter((at) => at > now - this.failTimeoutMs);
    peer.recent.push(now);
    if (peer.ejectedUntil > 0 || peer.recent.length >= this.maxFails) {
      peer.ejectedUntil = now + this.failTimeoutMs;
      peer.recent = [];
    }
  }

  /** Takes the endpoint out until `markHealthy` (maintenance, an active health check). */
  markUnhealthy(url: string): void {
    this.peer(url).down = true;
  }

  /** Puts the endpoint back at once, ending any ejection. */
  markHealthy(url: string): void {
    const peer = this.peer(url);
    peer.down = false;
    peer.ejectedUntil = 0;
    peer.recent = [];
  }

  /** Per endpoint, in the order given: `{ url, weight, healthy, picks, failures }`. */
  stats(): EndpointStats[] {
    const now = this.now();
    return this.peers.map((p) => ({
      url: p.url,
      weight: p.weight,
      healthy: !p.down && p.ejectedUntil <= now,
      picks: p.picks,
      failures: p.failures,
    }));
  }

  private pick(eligible: (peer: Peer) => boolean): Peer | undefined {
    let total = 0;
    let best: Peer | undefined;
    for (const peer of this.peers) {
      if (!eligible(peer)) continue;
      peer.current += peer.weight;
      total += peer.weight;
      if (!best || peer.current > best.current) best = peer;
    }
    if (best) best.current -= total;
    return best;
  }

  private peer(url: string): Peer {
    const peer = this.byUrl.get(url);
    if (!peer) throw invalidOption(`unknown endpoint "${url}"`, 'balancer');
    return peer;
  }
}
