import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ConnectorClient, ConnectorResponse } from './define.js';
import { postStreamed } from './multipart.js';

/** A stored file whose every opened stream is kept, to see which were closed. */
function trackedFile() {
  const opened: Readable[] = [];
  return {
    opened,
    file: {
      name: 'a.pdf',
      size: 4,
      async open() {
        const stream = new Readable({ read() {} });
        opened.push(stream);
        return stream;
      },
    },
  };
}

function clientAnswering(request: ConnectorClient['request']): ConnectorClient {
  return {
    auth: { authorize: async () => ({ authorization: 'Bearer t' }), invalidate: () => true },
    request,
  } as unknown as ConnectorClient;
}

const upload = (file: ReturnType<typeof trackedFile>['file']) => ({
  url: 'https://vendor.example/upload',
  contentType: 'multipart/form-data; boundary=b',
  head: Buffer.from('--b\r\n'),
  file,
  tail: Buffer.from('\r\n--b--\r\n'),
});

describe('postStreamed', () => {
  it('closes the opened file when the request fails before reading its body', async () => {
    const { file, opened } = trackedFile();
    const refused = clientAnswering(async () => {
      throw new Error('connection refused');
    });
    await expect(postStreamed(refused, upload(file))).rejects.toThrow('connection refused');
    expect(opened).toHaveLength(1);
    expect(opened[0]!.destroyed).toBe(true);
  });

  it('closes the first attempt’s file when a 401 makes it sign in and open the file again', async () => {
    const { file, opened } = trackedFile();
    let calls = 0;
    const client = clientAnswering(async () => ({ status: ++calls === 1 ? 401 : 201 }) as ConnectorResponse);
    await expect(postStreamed(client, upload(file))).resolves.toMatchObject({ status: 201 });
    expect(opened).toHaveLength(2);
    expect(opened[0]!.destroyed).toBe(true);
  });
});
