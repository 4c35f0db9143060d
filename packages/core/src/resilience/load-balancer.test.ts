import { describe, expect, it } from 'vitest';
import { NoHealthyEndpointError } from './errors.js';
import { LoadBalancer } from './load-balancer.js';

const picks = (balancer: LoadBalancer, n: number) => Array.from({ length: n }, () => balancer.getNext());

describe('LoadBalancer', () => {
  it.each([
    [{ a: 5, b: 1, c: 1 }, 'a a b a c a a'],
    [{ a: 2, b: 1 }, 'a b a'],
    [{ a: 4, b: 2, c: 1 }, 'a b a c a b a'],
    [{ a: 3, b: 2, c: 1 }, 'a b a c b a'],
    [{ a: 1, b: 1, c: 1 }, 'a b c'],
  ])('spreads %o as %s (nginx smooth weighted round-robin)', (weights, expected) => {
    const total = Object.values(weights).reduce((a, b) => a + b, 0);
    const balancer = new LoadBalancer(weights);
    expect(picks(balancer, total).join(' ')).toBe(expected);
    // and the cycle repeats
    expect(picks(balancer, total).join(' ')).toBe(expected);
  });

  it('accepts a list of endpoints, weight 1 by default', () => {
    const balancer = new LoadBalancer([{ url: 'https://a' }, { url: 'https://b', weight: 2 }]);
    expect(picks(balancer, 3)).toEqual(['https://b', 'https://a', 'https://b']);
  });

  it('ejects an endpoint after maxFails failures within failTimeoutMs, then lets one probe through', () => {
    const clock = { t: 0 };
    const balancer = new LoadBalancer(
      { a: 1, b: 1 },
      { maxFails: 2, failTimeoutMs: 10_000, now: () => clock.t },
    );
    balancer.markFailure('a');
    expect(picks(balancer, 2).sort()).toEqual(['a', 'b']);
    balancer.markFailure('a');
    expect(picks(balancer, 4)).toEqual(['b', 'b', 'b', 'b']);
    expect(balancer.stats()[0]).toMatchObject({ url: 'a', healthy: false, failures: 2 });
    clock.t = 10_000;
    const probeRound = picks(balancer, 4);
    expect(probeRound.filter((u) => u === 'a')).toHaveLength(1); // exactly one probe
    balancer.markSuccess('a');
    expect(picks(balancer, 4).filter((u) => u === 'a')).toHaveLength(2);
    expect(balancer.stats()[0]?.healthy).toBe(true);
  });

  it('re-ejects an endpoint whose probe fails', () => {
    const clock = { t: 0 };
    const balancer = new LoadBalancer({ a: 1, b: 1 }, { now: () => clock.t });
    balancer.markFailure('a');
    clock.t = 10_000;
    while (balancer.getNext() !== 'a');
    balancer.markFailure('a');
    clock.t = 19_999;
    expect(picks(balancer, 3)).toEqual(['b', 'b', 'b']);
  });

  it('forgets failures older than failTimeoutMs', () => {
    const clock = { t: 0 };
    const balancer = new LoadBalancer({ a: 1 }, { maxFails: 2, failTimeoutMs: 1000, now: () => clock.t });
    balancer.markFailure('a');
    clock.t = 1500;
    balancer.markFailure('a');
    expect(balancer.getNext()).toBe('a');
  });

  it('throws NoHealthyEndpointError when none is eligible, or balances over all in panic mode', () => {
    const balancer = new LoadBalancer({ a: 1, b: 1 });
    balancer.markUnhealthy('a');
    balancer.markUnhealthy('b');
    const error = (() => {
      try {
        balancer.getNext();
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(NoHealthyEndpointError);
    expect(error).toMatchObject({ code: 'NO_HEALTHY_ENDPOINT', name: 'NoHealthyEndpointError' });
    balancer.markHealthy('b');
    expect(picks(balancer, 2)).toEqual(['b', 'b']);

    const panicky = new LoadBalancer({ a: 2, b: 1 }, { panicMode: true });
    panicky.markUnhealthy('a');
    panicky.markUnhealthy('b');
    expect(picks(panicky, 3)).toEqual(['a', 'b', 'a']);
  });

  it('reports picks and failures per endpoint', () => {
    const balancer = new LoadBalancer({ a: 2, b: 1 }, { maxFails: 5 });
    picks(balancer, 3);
    balancer.markFailure('b');
    expect(balancer.stats()).toEqual([
      { url: 'a', weight: 2, healthy: true, picks: 2, failures: 0 },
      { url: 'b', weight: 1, healthy: true, picks: 1, failures: 1 },
    ]);
  });

  it('rejects bad endpoints and options at construction', () => {
    expect(() => new LoadBalancer({})).toThrow(/at least one endpoint/);
    expect(() => new LoadBalancer({ a: 0 })).toThrow(/weight/);
    expect(() => new LoadBalancer({ a: 1 }, { maxFails: 0 })).toThrow(/maxFails/);
    expect(() => new LoadBalancer({ a: 1 }).markFailure('zz')).toThrow(/unknown endpoint/);
  });
});
