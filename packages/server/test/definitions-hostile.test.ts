import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, stopTestServers } from './support/server.js';

afterEach(stopTestServers);

/** A YAML document whose aliases would expand to 10^9 strings. */
function billionLaughs(): string {
  let doc = 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n';
  let previous = 'a';
  for (let i = 0; i < 8; i++) {
    const name = `b${i}`;
    doc += `${name}: &${name} [${Array(10).fill(`*${previous}`).join(',')}]\n`;
    previous = name;
  }
  return `${doc}id: laughs\nconditions: *${previous}\n`;
}

const deepCondition = (levels: number) =>
  `${'{"not":'.repeat(levels)}{"field":"name","op":"eq","value":"x"}${'}'.repeat(levels)}`;

describe('hostile rule and workflow documents (issue 10 review)', () => {
  it('refuses a YAML alias bomb and nesting bombs as invalid (400/422), not a hang or a 500', async () => {
    const { api } = await startTestServer();
    const bomb = await api('/api/v1/sorter/rules', {
      method: 'POST',
      headers: { 'Content-Type': 'application/yaml' },
      body: billionLaughs(),
    });
    expect(bomb.status).toBe(400);
    const refusal = (await bomb.json()) as { error: { code: string; message: string } };
    expect(refusal.error.code).toBe('VALIDATION_FAILED');
    expect(refusal.error.message).toMatch(/alias/i);

    const deep = await api('/api/v1/sorter/rules', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: `{"id":"deep","conditions":[${deepCondition(5000)}]}`,
    });
    expect(deep.status, await deep.clone().text()).toBe(400);
    expect(await deep.text()).toMatch(/Nested more than/);

    const deepWith = `${'{"a":'.repeat(8000)}1${'}'.repeat(8000)}`;
    const workflow = await api('/api/v1/workflows', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: `{"name":"deep","on":{"manual":true},"steps":{"s":{"uses":"process","with":${deepWith}}}}`,
    });
    // A workflow that fails its checks is 422 WORKFLOW_INVALID (the linter's `schema` rule).
    expect(workflow.status, await workflow.clone().text()).toBe(422);
    expect(await workflow.text()).toMatch(/Nested more than/);
  });

  it('caps YAML bodies like JSON ones: 413 past the body limit', async () => {
    const { api } = await startTestServer();
    const res = await api('/api/v1/sorter/rules', {
      method: 'POST',
      headers: { 'Content-Type': 'application/yaml' },
      body: `id: big\ndescription: "${'x'.repeat(200 * 1024)}"\n`,
    });
    expect(res.status).toBe(413);
  });
});
