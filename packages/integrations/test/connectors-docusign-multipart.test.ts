import { randomBytes } from 'node:crypto';
import { writePdf } from '@fileforge/test-fixtures/pdf';
import { describe, expect, it } from 'vitest';
import { createDocuSignConnector, DOCUSIGN_MULTIPART_ABOVE_BYTES } from '../src/connectors/index.js';
import { createDocuSignFake } from './fakes/docusign.js';
import { splitMultipart } from './fakes/docusign-multipart.js';
import { connectorMaker, memoryFile, quickHa, useFakes } from './support/connectors.js';

const fake = createDocuSignFake();
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
const posts = () => fake.service.requestsTo('POST', envelopesPath());
const signer = { email: 'ada@example.com', name: 'Ada Lovelace' };

/** The recorded multipart request, split at its boundary. */
function partsOf(request: { headers: Record<string, string>; body: Buffer } | undefined) {
  const boundary = /^multipart\/form-data; boundary=(\S+)$/.exec(request?.headers['content-type'] ?? '')?.[1];
  expect(boundary).toBeDefined();
  const parts = splitMultipart(request!.body, boundary!);
  expect(parts).not.toBeNull();
  return parts!;
}

describe('DocuSign sendEnvelope as multipart (binary transfer)', () => {
  it('sends the definition as JSON in part 0 and the bytes in a file part with documentid=1, no base64', async () => {
    const pdf = writePdf({ pages: ['FileForge invoice 42'] });
    const result = await docusign().action(
      'sendEnvelope',
      { emailSubject: 'Please sign: invoice-42.pdf', signers: [signer], transfer: 'multipart' },
      { file: memoryFile(pdf) },
    );
    expect(result).toMatchObject({
      success: true,
      attempt: 1,
      data: { status: 'sent', transfer: 'multipart' },
    });

    const [post] = posts();
    expect(post?.headers.authorization).toMatch(/^Bearer /);
    expect(post?.headers['content-length']).toBe(String(post?.body.length));
    const [definition, document, ...rest] = partsOf(post);
    expect(rest).toEqual([]);
    expect(definition?.headers).toEqual({
      'content-type': 'application/json',
      'content-disposition': 'form-data',
    });
    expect(JSON.parse(definition!.body.toString('utf8'))).toEqual({
      emailSubject: 'Please sign: invoice-42.pdf',
      documents: [{ documentId: '1', name: 'invoice-42.pdf', fileExtension: 'pdf' }],
      recipients: { signers: [{ ...signer, recipientId: '1', routingOrder: '1' }] },
      status: 'sent',
    });
    expect(document?.headers).toEqual({
      'content-type': 'application/pdf',
      'content-disposition': 'file; filename="invoice-42.pdf"; documentid=1',
    });
    expect(document?.body.equals(pdf)).toBe(true);

    const stored = fake.envelopes.get((result.data as { envelopeId: string }).envelopeId);
    expect(stored?.documents).toMatchObject([{ documentId: '1', transfer: 'multipart' }]);
    expect(stored?.documents[0]?.bytes.equals(pdf)).toBe(true);
  });

  it('chooses multipart by itself above 5 MB, and base64 below', async () => {
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(DOCUSIGN_MULTIPART_ABOVE_BYTES)]);
    const large = await docusign().action(
      'sendEnvelope',
      { emailSubject: 'Large', signers: [signer] },
      { file: memoryFile(big, 'scan.pdf') },
    );
    expect(large).toMatchObject({ success: true, data: { transfer: 'multipart' } });
    expect(posts()[0]?.body.includes('documentBase64')).toBe(false);
    const stored = fake.envelopes.get((large.data as { envelopeId: string }).envelopeId);
    expect(stored?.documents[0]?.bytes.equals(big)).toBe(true);

    const small = await docusign().action(
      'sendEnvelope',
      { emailSubject: 'Small', signers: [signer] },
      { file: memoryFile(writePdf()) },
    );
    expect(small).toMatchObject({ success: true, data: { transfer: 'base64' } });
    expect(posts()[1]?.headers['content-type']).toMatch(/^application\/json/);
  });

  it('gets one new token and re-opens the file when the token has expired', async () => {
    const connector = docusign();
    const warm = await connector.testConnection();
    expect(warm.success).toBe(true);
    fake.service.tokens.expireAll();
    const file = memoryFile(writePdf());
    const result = await connector.action(
      'sendEnvelope',
      { emailSubject: 'Again', signers: [signer], transfer: 'multipart' },
      { file },
    );
    expect(result).toMatchObject({ success: true, attempt: 1 });
    expect(file.opened).toBe(2);
    expect(posts()).toHaveLength(2);
    expect(posts()[0]?.headers.authorization).not.toBe(posts()[1]?.headers.authorization);
  });

  it('the fake refuses what DocuSign refuses: part 0 not JSON, a document without its bytes', async () => {
    expect((await docusign().testConnection()).success).toBe(true);
    const authorization = fake.service.requests.at(-1)!.headers.authorization!;
    const send = (body: string) =>
      fetch(`${fake.url}${envelopesPath()}`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'multipart/form-data; boundary=XYZ' },
        body,
      });
    const json = JSON.stringify({
      emailSubject: 'S',
      documents: [{ documentId: '1', name: 'a.pdf' }],
      recipients: { signers: [{ ...signer, recipientId: '1' }] },
      status: 'sent',
    });
    const notJson = await send(`--XYZ\r\nContent-Type: text/plain\r\n\r\n${json}\r\n--XYZ--\r\n`);
    expect(notJson.status).toBe(415);
    expect(await notJson.json()).toMatchObject({ errorCode: 'INVALID_CONTENT_TYPE' });
    const noBytes = await send(
      `--XYZ\r\nContent-Type: application/json\r\nContent-Disposition: form-data\r\n\r\n${json}\r\n--XYZ--\r\n`,
    );
    expect(noBytes.status).toBe(400);
    expect(await noBytes.json()).toMatchObject({ errorCode: 'NO_DOCUMENT_RECEIVED' });
    const noId = await send(
      `--XYZ\r\nContent-Type: application/json\r\n\r\n${json}\r\n--XYZ\r\nContent-Type: application/pdf\r\nContent-Disposition: file; filename="a.pdf"\r\n\r\n%PDF-1.7\n\r\n--XYZ--\r\n`,
    );
    expect(await noId.json()).toMatchObject({ errorCode: 'INVALID_MULTI_PART_REQUEST' });
  });
});
