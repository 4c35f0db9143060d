import { Badge, type BadgeTone, Card } from '../components.js';
import { formatDate, formatDuration, humanizeKey } from '../format.js';
import type { Screen } from '../screen.js';
import { AdminNav } from './admin-nav.js';

type Component = Record<string, unknown> & { status?: string; latency_ms?: number; error?: string };
interface Detailed {
  status: string;
  version: string;
  timestamp: string;
  components: Record<string, Component>;
  metrics: Record<string, number>;
}

const UNITS: Record<string, string> = { gb: 'GB', mb: 'MB', ms: 'ms', seconds: 's' };

/** `disk_free_gb` → `Disk free (GB)`. */
function label(key: string): string {
  const m = /^(.*)_(gb|mb|ms|seconds)$/.exec(key);
  return m?.[1] && m[2] ? `${humanizeKey(m[1])} (${UNITS[m[2]]})` : humanizeKey(key);
}

const TONE: Record<string, BadgeTone> = { healthy: 'ok', degraded: 'warn', unhealthy: 'bad' };

/** A status word as a badge. */
function Health({ status }: { status: string }) {
  return <Badge tone={TONE[status] ?? 'neutral'}>{status}</Badge>;
}

/** A value in words: nested objects and lists as short lines. */
function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(show).join('; ');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${label(k)}: ${show(v)}`)
      .join(', ');
  }
  return String(value);
}

function ComponentCard({ name, component }: { name: string; component: Component }) {
  const { status, latency_ms, error, ...rest } = component;
  return (
    <Card title={humanizeKey(name)} headingLevel={3}>
      <p>
        {status ? <Health status={status} /> : null}
        {latency_ms === undefined ? null : <> answered in {latency_ms} ms</>}
      </p>
      {/* The route is public, so its error is a fixed text; the cause is logged, not shown here. */}
      {error ? <p class="error-text">{error} (the cause is in the server log)</p> : null}
      <dl class="facts">
        {Object.entries(rest).map(([key, value]) => (
          <>
            <dt>{label(key)}</dt>
            <dd>{show(value)}</dd>
          </>
        ))}
      </dl>
    </Card>
  );
}

/** `/admin/health`: the `/health/detailed` data as a page — each component, its latency and the counters. */
export const adminHealthScreen: Screen = {
  id: 'admin-health',
  section: 'admin',
  path: '/admin/health',
  title: 'System health',
  permission: 'users:manage',
  async render({ services, can }) {
    const res = await services.request('/health/detailed', { headers: { accept: 'application/json' } });
    const health = (await res.json()) as Detailed;
    const { uptime_seconds, ...metrics } = health.metrics;
    return {
      body: (
        <>
          <h1>Admin: system health</h1>
          <AdminNav current="health" can={can} />
          <p>
            Overall: <Health status={health.status} /> · version {health.version} · checked{' '}
            {formatDate(health.timestamp)} · <a href="/admin/health">check again</a> ·{' '}
            <a href="/health/detailed">as JSON</a>
          </p>
          <h2>Components</h2>
          <div class="grid health-grid">
            {Object.entries(health.components).map(([name, component]) => (
              <ComponentCard name={name} component={component} />
            ))}
          </div>
          <h2>Counters</h2>
          <dl class="facts">
            {uptime_seconds === undefined ? null : (
              <>
                <dt>Up for</dt>
                <dd>{formatDuration(uptime_seconds)}</dd>
              </>
            )}
            {Object.entries(metrics).map(([key, value]) => (
              <>
                <dt>{label(key)}</dt>
                <dd>{value}</dd>
              </>
            ))}
          </dl>
        </>
      ),
    };
  },
};
