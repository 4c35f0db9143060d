/**
 * Child: the HTTP baseline — a bare `node:http` server that streams a multipart upload
 * through @fastify/busboy and SHA-256 to disk, fsyncs it and answers 201 in the same JSON
 * shape as the reference server. Plain JavaScript on bare `node`, like `fileforge serve`
 * from `packages/server/dist`. Env: PORT, HOST, DATA_DIR, MAX_FILE_SIZE.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Busboy } from '@fastify/busboy';

const dataDir = process.env.DATA_DIR ?? '.';
const maxFileSize = Number(process.env.MAX_FILE_SIZE ?? 2 * 1024 ** 3);

/**
 * @param {import('@fastify/busboy').BusboyFileStream} stream
 * @returns {Promise<{ id: string, sha256: string, size: number }>}
 */
async function store(stream) {
  const id = randomUUID();
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    /** @param {Buffer} chunk */
    transform(chunk, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  // `flush` fsyncs the file before it is closed; pipeline() waits for that.
  await pipeline(stream, meter, createWriteStream(join(dataDir, id), { flags: 'wx', flush: true }));
  if (stream.truncated) throw new Error('file too large');
  return { id, sha256: hash.digest('hex'), size };
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 */
function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
function upload(req, res) {
  /** @type {ReturnType<typeof store>[]} */
  const files = [];
  const parser = Busboy({
    headers: { ...req.headers, 'content-type': req.headers['content-type'] ?? '' },
    limits: { fileSize: maxFileSize, files: 1 },
  });
  parser.on('file', (_field, stream) => {
    const stored = store(stream);
    stored.catch(() => stream.resume());
    files.push(stored);
  });
  pipeline(req, parser)
    .then(() => Promise.all(files))
    .then((stored) => send(res, 201, { files: stored }))
    .catch((error) => send(res, 400, { error: String(error) }));
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') return send(res, 200, { status: 'ok' });
  if (req.method === 'POST' && req.url === '/api/v1/files') return upload(req, res);
  send(res, 404, { error: 'not found' });
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => server.close());
