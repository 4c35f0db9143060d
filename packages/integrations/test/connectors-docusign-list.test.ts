/** Issue 11: DocuSign `listEnvelopes` — many envelopes' statuses, pages followed through nextUri. */
import { writePdf } from '@fileforge/test-fixtures/pdf';
import { describe, expect, it } from 'vitest';
import { createDocuSignConnector } from '../src/connectors/index.js';
import { createDocuSignFake } from './fakes/docusign.js';
import { connectorMaker, quickHa, useFakes } from './support/connectors.js';

let now = Date.parse('2026-02-01T09:00:00.000Z');
const fake = createDocuSignFake({ clock: () => now });
const http = useFakes([fake], { beforeEach: () => fake.setConsent(true) });
const docusign = connectorMaker(createDocuSignConnector, () => ({
  credentials: {
    integrationKey: fake.integrationKey,
    userId: fake.userId,
    privateKey: fake.privateKeyPem!,
    authServer: fake.url,
  },
  http,
  ha: quickHa,
}));
const envelopesPath = () => `/restapi/v2.1/accounts/${fake.accountId}/envelopes`;

function seed(subject: string, at: number): string {
  const created = fake.envelopes.create(
    {
      emailSubject: subject,
      status: 'sent',
      documents: [{ documentId: '1', name: 'a.pdf', documentBase64: writePdf().toString('base64') }],
      recipients: { signers: [{ email: 'ada@example.com', name: 'Ada', recipientId: '1' }] },
    },
    at,
  );
  if ('errorCode' in created) throw new Error(created.message);
  return created.envelopeId;
}

describe('DocuSign listEnvelopes', () => {
  it('lists envelopes changed since a date with a status filter, following nextUri across pages', async () => {
    const old = seed('old', Date.parse('2026-01-01T00:00:00Z'));
    const ids = Array.from({ length: 150 }, (_, i) =>
      seed(`new ${i}`, Date.parse('2026-01-20T00:00:00Z') + i),
    );
    fake.envelopes.setStatus(ids[0]!, 'completed', Date.parse('2026-01-21T00:00:00Z'));
    now += 1;

    const result = await docusign().action('listEnvelopes', {
      fromDate: '2026-01-10T00:00:00Z',
      statuses: ['sent'],
      limit: 1000,
    });
    expect(result).toMatchObject({ success: true, data: { totalSetSize: 149 } });
    const envelopes = (result.data as { envelopes: Array<{ envelopeId: string; status: string }> }).envelopes;
    expect(envelopes).toHaveLength(149);
    expect(envelopes.every((e) => e.status === 'sent')).toBe(true);
    expect(envelopes.map((e) => e.envelopeId)).not.toContain(old);
    expect(envelopes.map((e) => e.envelopeId)).not.toContain(ids[0]);

    const gets = fake.service.requestsTo('GET', envelopesPath());
    expect(gets).toHaveLength(2);
    expect(Object.fromEntries(gets[0]!.query)).toEqual({
      from_date: '2026-01-10T00:00:00Z',
      status: 'sent',
      count: '100',
    });
    expect(gets[1]?.query.get('start_position')).toBe('100');
    expect(gets[1]?.headers.authorization).toMatch(/^Bearer /);
  });

  it('lists given envelope ids, stops at the limit, and refuses a call with neither a date nor ids', async () => {
    const ids = [seed('a', now), seed('b', now), seed('c', now)];
    const limited = await docusign().action('listEnvelopes', { envelopeIds: ids, limit: 2 });
    expect(
      (limited.data as { envelopes: Array<{ envelopeId: string }> }).envelopes.map((e) => e.envelopeId),
    ).toEqual(ids.slice(0, 2));
    expect(fake.service.requestsTo('GET', envelopesPath())[0]?.query.get('envelope_ids')).toBe(ids.join(','));
    const invalid = await docusign().action('listEnvelopes', { statuses: ['sent'] });
    expect(invalid).toMatchObject({ success: false, error: { code: 'VALIDATION_FAILED' } });
  });
});
