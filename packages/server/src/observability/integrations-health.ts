import { withTimeout } from '@fileforge/core';
import type { IntegrationService } from '@fileforge/integrations';
import { z } from '@hono/zod-openapi';
import { type ComponentFailures, HEALTH_ERROR_DESCRIPTION } from './health-failures.js';

type Rows = Awaited<ReturnType<IntegrationService['health']>>;

const CircuitState = z.enum(['closed', 'open', 'half-open', 'isolated']);

/** The `integrations` component of `/health/detailed`. */
export const IntegrationsHealthSchema = z
  .object({
    status: z.enum(['healthy', 'degraded', 'unhealthy']).openapi({
      description: 'degraded while a circuit is open or isolated, or an endpoint is ejected',
    }),
    connectors: z.array(
      z.object({
        slug: z.string(),
        name: z.string(),
        connections: z.number().int().openapi({ description: 'Tenants holding it live in this process' }),
        circuit_state: CircuitState.openapi({ description: 'The worst over those tenants' }),
        region: z.string().nullable(),
        endpoints: z.array(z.object({ healthy: z.boolean(), region: z.string().optional() })).openapi({
          description:
            "Each endpoint's health, without its address: the route is public and a tenant's vendor URL can carry credentials (the tenant's own integration status shows it)",
        }),
      }),
    ),
    error: z.string().optional().openapi({ description: HEALTH_ERROR_DESCRIPTION }),
  })
  .openapi('IntegrationsHealth');

/** The component's value. */
export type IntegrationsHealth = z.infer<typeof IntegrationsHealthSchema>;

const SEVERITY = { closed: 0, 'half-open': 1, open: 2, isolated: 3 } as const;

/**
 * Summarises the live connectors per slug, from memory (no vendor call): the worst circuit
 * state, the region, each endpoint's health. The route is public: tenants are counted, not
 * named, and endpoints are listed without their URLs (a tenant's instance or base URL names
 * the tenant and may hold credentials). An open circuit is `degraded`: one vendor being down
 * does not make FileForge unfit to serve, so the server's status code is not affected.
 * A service that has not answered within `timeoutMs` is `unhealthy`, with `report`'s fixed
 * text as its `error` (the cause goes to the log).
 */
export async function integrationsHealth(
  service: () => IntegrationService,
  report: ComponentFailures,
  timeoutMs = 5_000,
): Promise<IntegrationsHealth> {
  let rows: Rows;
  try {
    rows = await withTimeout(() => service().health(), timeoutMs);
  } catch (error) {
    return { status: 'unhealthy', connectors: [], error: report.failed(error) };
  }
  report.passed();
  const bySlug = new Map<string, Rows>();
  for (const row of rows) bySlug.set(row.slug, [...(bySlug.get(row.slug) ?? []), row]);
  const connectors = [...bySlug].map(([slug, group]) => {
    const worst = group.reduce((a, b) => (SEVERITY[b.circuitState] > SEVERITY[a.circuitState] ? b : a));
    // Keyed by URL so that tenants sharing an endpoint count it once; the URL stays here.
    const endpoints = new Map<string, { healthy: boolean; region?: string }>();
    for (const e of group.flatMap((g) => g.endpoints)) {
      const seen = endpoints.get(e.url);
      endpoints.set(e.url, {
        healthy: (seen?.healthy ?? true) && e.healthy,
        ...(e.region ? { region: e.region } : {}),
      });
    }
    return {
      slug,
      name: worst.name,
      connections: group.length,
      circuit_state: worst.circuitState,
      region: group.find((g) => g.region !== null)?.region ?? null,
      endpoints: [...endpoints.values()],
    };
  });
  const degraded = connectors.some(
    (c) => SEVERITY[c.circuit_state] >= SEVERITY.open || c.endpoints.some((e) => !e.healthy),
  );
  return { status: degraded ? 'degraded' : 'healthy', connectors };
}
