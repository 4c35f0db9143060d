/**
 * The rules, review, workflows, webhooks, integrations and admin screens in headless
 * Chromium against a real server (webhooks and connectors wired as `fileforge serve` does,
 * loopback allow-listed for the local receiver). One browser for the whole file; nothing
 * leaves 127.0.0.1.
 */
import { afterAll, expect } from 'vitest';
import {
  createSlackFake,
  type IntegrationServer,
  json,
  type Receiver,
  startIntegrationServer,
  startReceiver,
} from './support/integrations.js';
import { ADMIN, eventually, stopTestServers, waitForFinal } from './support/server.js';
import { registerEchoAndFlakySteps } from './support/test-steps.js';
import { auditScreen, itInBrowser, openUiBrowser, signIn, type UiBrowser } from './support/ui-browser.js';

let ui: UiBrowser | undefined;
const slack = createSlackFake();
let slackStarted = false;
let server: IntegrationServer | undefined;
const receivers: Receiver[] = [];
afterAll(async () => {
  await ui?.close();
  await Promise.all(receivers.map((r) => r.close()));
  if (slackStarted) await slack.close();
  await stopTestServers();
});

const INVOICE = 'Invoice number amount due payment total tax supplier bank transfer net thirty days';
const RECIPE = 'Recipe flour sugar butter oven bake minutes eggs whisk bowl dough';

/** Uploads a text file with the admin's API key and waits until it is processed. */
async function upload(s: IntegrationServer, name: string, text: string): Promise<string> {
  const form = new FormData();
  form.append('file', new File([text], name, { type: 'text/plain' }));
  const res = await s.api('/api/v1/files', { method: 'POST', body: form });
  expect(res.status, await res.clone().text()).toBe(201);
  const [file] = ((await res.json()) as { files: { id: string }[] }).files;
  await waitForFinal(s.api, file!.id);
  return file!.id;
}

const reviewCount = async (s: IntegrationServer) =>
  ((await (await s.api('/api/v1/review')).json()) as { items: unknown[] }).items.length;

/** The shared server (with a trained classifier, two files in review, rules and a workflow) and browser, signed in as the admin. */
async function setup() {
  if (server && ui) return { s: server, ui };
  await slack.start();
  slackStarted = true;
  // The Slack connector talks to the local fake.
  const s = await startIntegrationServer({
    connectors: { settings: { slack: { endpoints: slack.apiUrl } } },
  });
  server = s;
  // test.echo answers its text; test.flaky fails once, then succeeds.
  registerEchoAndFlakySteps(s.forge, { left: 1 });
  // Labels of two categories train a model; nearly empty pages then wait for review.
  for (let i = 0; i < 4; i++) {
    for (const [category, text] of [
      ['invoices', INVOICE],
      ['recipes', RECIPE],
    ] as const) {
      const id = await upload(s, `${category}-${i}.txt`, `${text} ${i}`);
      const res = await s.api(`/api/v1/files/${id}/classification`, json('POST', { category }));
      expect(res.status).toBe(200);
    }
  }
  expect((await s.api('/api/v1/classifier/train', { method: 'POST' })).status).toBe(200);
  await upload(s, 'scan-1.txt', 'Page 1');
  await upload(s, 'scan-2.txt', 'Page 2');
  await eventually(async () => ((await reviewCount(s)) === 2 ? true : undefined), 'two files in review');

  for (const rule of [
    {
      id: 'text-notes',
      category: 'notes',
      priority: 20,
      conditions: [{ field: 'mime', op: 'eq', value: 'text/plain' }],
      destination: 'notes/{name}{ext}',
    },
    { id: 'fallback', priority: 10, destination: 'other/{name}{ext}' },
  ]) {
    expect((await s.api('/api/v1/sorter/rules', json('POST', rule))).status).toBe(201);
  }
  const wf = await s.api(
    '/api/v1/workflows',
    json('POST', {
      name: 'stamp-then-flaky',
      on: { manual: true },
      steps: {
        stamp: { uses: 'test.echo', with: { text: 'stamped' } },
        second: { uses: 'test.flaky', needs: ['stamp'] },
      },
    }),
  );
  expect(wf.status, await wf.clone().text()).toBe(201);

  const browser = await openUiBrowser();
  ui = browser;
  const page = await browser.newPage();
  await signIn(page, s.url, ADMIN.email, ADMIN.password);
  await page.close();
  return { s, ui: browser };
}

itInBrowser(
  'review queue: confirming one file and correcting another empties the queue, without a reload',
  async () => {
    const { s, ui } = await setup();
    const page = await ui.newPage();
    await page.goto(`${s.url}/review`);
    const items = page.locator('[data-review-item]');
    await expect(items.count()).resolves.toBe(2);
    await expect(page.locator('#review-count').textContent()).resolves.toContain('2 files waiting');

    // One click confirms the classifier's guess…
    const first = items.first();
    const firstName = await first.getAttribute('data-file-name');
    await first.getByRole('button', { name: /^Confirm/ }).click();
    await expect.poll(() => items.count(), { timeout: 15_000 }).toBe(1);
    await expect(page.locator('#review-count').textContent()).resolves.toContain('1 file waiting');
    // …focus lands on the next file's first control, not the top of the page.
    await expect(page.locator('[data-review-item] :focus').count()).resolves.toBe(1);

    // …and typing a category corrects the other.
    const last = items.first();
    const lastId = await last.getAttribute('data-file-id');
    await last.getByLabel('Or the right category').fill('receipts');
    await last.getByRole('button', { name: 'Correct' }).click();
    await expect.poll(() => items.count(), { timeout: 15_000 }).toBe(0);
    await page.locator('#review-empty').waitFor({ state: 'visible' });
    // The live region is cleared, then filled 50 ms later (so a repeated message is read again).
    await expect
      .poll(() => page.locator('#ff-live').textContent(), { timeout: 5_000 })
      .toContain('No files are waiting');

    expect(await reviewCount(s)).toBe(0);
    const corrected = (await (await s.api(`/api/v1/files/${lastId}/classification`)).json()) as {
      category: string;
      decidedBy: { kind: string };
    };
    expect(corrected).toMatchObject({ category: 'receipts', decidedBy: { kind: 'person' } });
    expect(firstName).toMatch(/^scan-/);
    await page.close();
  },
);

itInBrowser(
  'rules: simulate shows which rule files each chosen file where; the editor shows the server’s messages; reorder renumbers priorities',
  async () => {
    const { s, ui } = await setup();
    const page = await ui.newPage();
    await page.goto(`${s.url}/rules`);
    await page.getByRole('button', { name: 'Simulate' }).click();
    const result = page.locator('#simulate-result');
    await result.waitFor({ state: 'visible', timeout: 15_000 });
    const rows = result.locator('tbody tr');
    await expect(rows.count()).resolves.toBe(5);
    const first = await rows.first().innerText();
    expect(first).toContain('“text-notes”');
    expect(first).toMatch(/notes\/\S+\.txt/);
    await expect(page.locator('#simulate-status').textContent()).resolves.toContain('Simulated 5 files');

    // A draft that moves text files elsewhere is simulated as it is typed.
    await page.goto(`${s.url}/rules?edit=text-notes`);
    await page.getByRole('button', { name: 'Simulate' }).click();
    await result.waitFor({ state: 'visible', timeout: 15_000 });
    await page.getByLabel('The saved rules with the editor’s draft').check();
    const editor = page.locator('#rule-text');
    const draft = JSON.parse(await editor.inputValue()) as Record<string, unknown>;
    await editor.fill(JSON.stringify({ ...draft, destination: 'drafted/{name}{ext}' }, null, 2));
    await expect.poll(() => rows.first().innerText(), { timeout: 15_000 }).toContain('drafted/');

    // An invalid rule is refused with the field path beside the editor.
    await editor.fill(JSON.stringify({ ...draft, conditions: [{ field: 'mime', op: 'bogus', value: 1 }] }));
    await page.getByRole('button', { name: 'Save rule' }).click();
    const problems = page.locator('#rule-problems');
    await problems.waitFor({ state: 'visible', timeout: 15_000 });
    await expect(problems.innerText()).resolves.toContain('conditions[0].op');
    await expect(editor.getAttribute('aria-invalid')).resolves.toBe('true');

    // Moving the first rule down makes it second, in the list and on the server.
    await page.getByRole('button', { name: 'Move text-notes down' }).click();
    await expect
      .poll(() => page.locator('#rule-list tbody tr').first().getAttribute('data-rule-id'), {
        timeout: 15_000,
      })
      .toBe('fallback');
    const saved = (await (await s.api('/api/v1/sorter/rules')).json()) as { items: { id: string }[] };
    expect(saved.items.map((r) => r.id)).toEqual(['fallback', 'text-notes']);
    await page.close();
  },
);

itInBrowser(
  'webhooks: create one (secret shown once), send a test the local receiver verifies, see it in the history',
  async () => {
    const { s, ui } = await setup();
    const receiver = await startReceiver();
    receivers.push(receiver);
    const page = await ui.newPage();
    await page.goto(`${s.url}/webhooks`);
    await page.getByLabel('Name').fill('crm');
    await page.getByLabel('URL').fill(receiver.url);
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const secret = page.locator('#secret-panel-value');
    await secret.waitFor({ state: 'visible', timeout: 15_000 });
    const value = (await secret.textContent()) ?? '';
    expect(value).toMatch(/^whsec_/);
    receiver.secrets.push(value);
    await page.locator('#webhook-list').getByRole('link', { name: 'crm' }).click();
    await expect(page.content()).resolves.not.toContain(value);

    await page.getByRole('button', { name: 'Send a test' }).click();
    await expect
      .poll(() => page.locator('#webhook-status').textContent(), { timeout: 15_000 })
      .toContain('Test delivered: HTTP 204');
    const delivery = page.locator('#deliveries .delivery').first();
    await delivery.waitFor();
    await expect(delivery.innerText()).resolves.toMatch(/webhook\.test[\s\S]*succeeded/);
    await delivery.getByText('Request and response').click();
    await expect(delivery.innerText()).resolves.toContain(`POST ${receiver.url}`);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]).toMatchObject({ verified: true });
    await page.close();
  },
);

itInBrowser(
  'admin: an API key made on the page (secret shown once) works with fetch, and its last use shows',
  async () => {
    const { s, ui } = await setup();
    const page = await ui.newPage();
    await page.goto(`${s.url}/admin/keys`);
    await page.getByLabel('Name').fill('scanner');
    await page.getByLabel('Role').selectOption('editor');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = page.locator('#key-secret-value');
    await secret.waitFor({ state: 'visible', timeout: 15_000 });
    const key = (await secret.textContent()) ?? '';
    expect(key).toMatch(/^ff_/);

    const listed = await fetch(`${s.url}/api/v1/files`, { headers: { Authorization: `Bearer ${key}` } });
    expect(listed.status).toBe(200);
    const form = new FormData();
    form.append('file', new File(['from the scanner'], 'scan.txt', { type: 'text/plain' }));
    const uploaded = await fetch(`${s.url}/api/v1/files`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}` },
      body: form,
    });
    expect(uploaded.status).toBe(201);

    await page.reload();
    const row = page.locator('tr[data-name="scanner"]');
    await expect(row.innerText()).resolves.not.toContain('never');
    await page.close();
  },
);

itInBrowser(
  'workflows: the linter speaks beside the editor; run now shows the step timeline; a failed run is retried from its failed step',
  async () => {
    const { s, ui } = await setup();
    const page = await ui.newPage();
    // A new definition: the linter's problems appear beside the editor as it is typed.
    await page.goto(`${s.url}/workflows/new`);
    const definition = page.locator('#workflow-text');
    await definition.fill('name: hello\non: { manual: true }\nsteps:\n  a: { uses: no.such.kind }\n');
    await expect
      .poll(() => page.locator('#lint-problems').textContent(), { timeout: 15_000 })
      .toContain('unknown-step-kind');
    await definition.fill(
      'name: hello\non: { manual: true }\nsteps:\n  a: { uses: test.echo, with: { text: hi } }\n',
    );
    await expect
      .poll(() => page.locator('#lint-summary').textContent(), { timeout: 15_000 })
      .toContain('no problems');
    await page.getByRole('button', { name: 'Create workflow' }).click();
    await page.waitForURL(/\/workflows\/[^/]+\?saved=1/, { timeout: 15_000 });
    await expect(page.locator('h1').textContent()).resolves.toContain('hello');

    await page.goto(`${s.url}/workflows`);
    await page.getByRole('link', { name: 'stamp-then-flaky' }).click();
    await expect
      .poll(() => page.locator('#lint-summary').textContent(), { timeout: 15_000 })
      .toContain('no problems');
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.waitForURL(/\/runs\//, { timeout: 15_000 });
    const run = page.locator('#run');
    await expect.poll(() => run.getAttribute('data-status'), { timeout: 20_000 }).toBe('failed');
    await expect(run.innerText()).resolves.toContain('flaky step failed on purpose');
    await page.getByRole('button', { name: 'Retry from the failed step' }).click();
    await expect.poll(() => run.getAttribute('data-status'), { timeout: 20_000 }).toBe('completed');
    const steps = run.locator('.timeline-step');
    await expect(steps.nth(0).innerText()).resolves.toMatch(/stamp\s*completed[\s\S]*Attempts\s*1/);
    await expect(steps.nth(1).innerText()).resolves.toMatch(/second\s*completed[\s\S]*Attempts\s*2/);
    await page.close();
  },
);

itInBrowser(
  'integrations: Slack connects through its credentials form (a refused token says why) and the connection test works',
  async () => {
    const { s, ui } = await setup();
    const page = await ui.newPage();
    await page.goto(`${s.url}/integrations`);
    await page.getByRole('link', { name: 'Slack' }).click();
    const status = page.locator('#integration-status');
    const token = page.getByLabel('Bot token');
    await expect(token.getAttribute('type')).resolves.toBe('password');
    await token.fill('xoxb-unknown-token');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toContain('Not connected');
    await token.fill('xoxb-fileforge-test');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.waitForURL(/connected=1/, { timeout: 15_000 });
    await expect(page.locator('#integration-health').innerText()).resolves.toMatch(
      /connected[\s\S]*circuit closed[\s\S]*healthy/,
    );
    await expect(page.content()).resolves.not.toContain('xoxb-fileforge-test');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toContain('The connection works');
    await page.close();
  },
);

itInBrowser(
  'every screen: no serious or critical axe violation at 360 and 1440 px in both themes (screenshots saved)',
  async () => {
    const { s, ui } = await setup();
    // One file waiting, so the review screen is audited with its confirm and correct controls.
    await upload(s, 'scan-3.txt', 'Page 3');
    await eventually(async () => ((await reviewCount(s)) >= 1 ? true : undefined), 'a file in review');
    const workflows = (await (await s.api('/api/v1/workflows')).json()) as {
      items: { id: string; name: string }[];
    };
    const wfId = workflows.items.find((w) => w.name === 'stamp-then-flaky')!.id;
    const runs = (await (await s.api(`/api/v1/workflows/${wfId}/runs`)).json()) as {
      items: { id: string }[];
    };
    const hooks = (await (await s.api('/api/v1/integrations/webhooks')).json()) as {
      items: { id: string }[];
    };
    const screens: [string, string][] = [
      ['rules', '/rules?edit=text-notes'],
      ['review', '/review'],
      ['workflows', '/workflows'],
      ['workflow', `/workflows/${wfId}`],
      ...(runs.items[0]
        ? ([['workflow-run', `/workflows/${wfId}/runs/${runs.items[0].id}`]] as [string, string][])
        : []),
      ['webhooks', '/webhooks'],
      ...(hooks.items[0] ? ([['webhook', `/webhooks/${hooks.items[0].id}`]] as [string, string][]) : []),
      ['integrations', '/integrations'],
      ['integration-salesforce', '/integrations/salesforce'],
      ['admin-users', '/admin'],
      ['admin-keys', '/admin/keys'],
      ['admin-audit', '/admin/audit'],
      ['admin-backups', '/admin/backups'],
      ['admin-health', '/admin/health'],
    ];
    const page = await ui.newPage();
    const problems: string[] = [];
    for (const [name, path] of screens) {
      const res = await page.goto(`${s.url}${path}`);
      expect(res?.status(), path).toBe(200);
      await page.locator('h1').first().waitFor();
      problems.push(...(await auditScreen(page, name)));
    }
    expect(problems).toEqual([]);
    expect(ui.pageErrors).toEqual([]);
    expect(ui.offMachine).toEqual([]);
    await page.close();
  },
  // 15 screens × 2 widths × 2 themes of axe: minutes on a loaded two-core machine.
  600_000,
);

itInBrowser('a viewer sees no control it cannot use on these screens, and no Admin', async () => {
  const { s, ui } = await setup();
  const res = await s.api(
    '/api/v1/users',
    json('POST', { email: 'viewer@example.test', password: 'viewer-password', role: 'viewer' }),
  );
  expect(res.status).toBe(201);
  const context = await ui.browser.newContext();
  await context.route('**/*', (route) =>
    new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort(),
  );
  const page = await context.newPage();
  await signIn(page, s.url, 'viewer@example.test', 'viewer-password');
  const workflows = (await (await s.api('/api/v1/workflows')).json()) as { items: { id: string }[] };
  for (const path of [
    '/rules?edit=text-notes',
    '/review',
    '/workflows',
    `/workflows/${workflows.items[0]!.id}`,
    '/webhooks',
    '/integrations/slack',
  ]) {
    await page.goto(`${s.url}${path}`);
    const labels = await page
      .locator('main button, main input[type=submit]')
      .evaluateAll((els) => els.map((e) => e.textContent?.trim()));
    // Simulate only reads: viewers may run it.
    expect(
      labels.filter((l) => l !== 'Simulate'),
      path,
    ).toEqual([]);
    await expect(page.locator('main textarea:not([readonly])').count(), path).resolves.toBe(0);
  }
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).count(),
  ).resolves.toBe(0);
  expect((await page.goto(`${s.url}/admin`))?.status()).toBe(403);
  await context.close();
});
