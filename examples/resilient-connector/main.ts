/**
 * A connector call made resilient: the Slack connector's `postMessage` goes through retries
 * with backoff, a circuit breaker and a fallback — the composition every FileForge connector
 * uses (fallback ∘ retry ∘ circuit breaker ∘ per-attempt timeout). Without SLACK_API_URL it
 * talks to a local stand-in that is down for its first 3 requests, then recovers.
 *
 *   npm start -w examples/resilient-connector
 */
import { createHttpClient, createSlackConnector } from '@fileforge/integrations';
import { type FlakyService, startFlakyService } from './flaky-service.js';

const resetMs = Number(process.env.CIRCUIT_RESET_MS ?? 1000);
let local: FlakyService | undefined;
if (!process.env.SLACK_API_URL) local = await startFlakyService(3);
const endpoint = process.env.SLACK_API_URL ?? local!.url;

// The SSRF guard refuses loopback addresses unless allowed: the stand-in runs on 127.0.0.1.
const http = createHttpClient({ guard: { allowedHosts: process.env.ALLOWED_HOSTS ?? '127.0.0.1' } });
const slack = createSlackConnector({
  credentials: { botToken: process.env.SLACK_BOT_TOKEN ?? 'xoxb-example' },
  endpoints: endpoint,
  http,
  ha: {
    maxRetries: 2, // 3 attempts per call
    retryDelayMs: 50,
    circuitOpenAfterFailures: 3, // opens at the 3rd consecutive failure…
    circuitResetTimeoutMs: resetMs, // …for this long, then lets one probe through
    timeoutMs: 5000,
  },
  onEvent: (event) => {
    if (event.type === 'circuit_opened') console.log('  circuit opened');
    if (event.type === 'circuit_closed') console.log('  circuit closed');
  },
});
// What the caller gets when Slack cannot be reached: queue the message for later.
const outbox: string[] = [];
slack.registerFallback('postMessage', (error) => {
  outbox.push('invoice-42 processed');
  return { queued: true, reason: (error as Error).message };
});

async function post(label: string) {
  const result = await slack.action('postMessage', { channel: 'C0123456789', text: 'invoice-42 processed' });
  const line = {
    call: label,
    success: result.success,
    fallback: result.fallback === true,
    attempts: result.attempt,
    circuit: slack.getHaStats().circuit.state,
    data: result.data,
  };
  console.log(JSON.stringify(line));
  return line;
}

try {
  // 1. The service is down: three attempts fail, the circuit opens, the fallback answers.
  await post('first');
  // 2. Straight away: the open circuit refuses without calling the service; the fallback answers.
  await post('while open');
  // 3. After the break, one probe goes through; the service is back, the circuit closes.
  await new Promise((resolve) => setTimeout(resolve, resetMs + 100));
  const recovered = await post('after the break');
  console.log(
    recovered.success && !recovered.fallback
      ? `recovered; ${outbox.length} message(s) were queued by the fallback meanwhile`
      : 'not recovered yet: the service is still failing',
  );
} finally {
  await http.close();
  await local?.close();
}
