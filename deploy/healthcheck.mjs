#!/usr/bin/env node
/**
 * Container health check, with Node alone (the image has no curl or wget).
 *
 *   node deploy/healthcheck.mjs            GET http://127.0.0.1:$PORT/health answers 2xx (the API)
 *   node deploy/healthcheck.mjs --redis    a TCP connection to $REDIS_URL opens (a worker, which
 *                                          listens on no port, can reach its queue)
 *
 * Exits 0 when healthy, 1 otherwise, within HEALTHCHECK_TIMEOUT_MS (default 4000), and prints
 * one line saying why on failure (Docker keeps it in `docker inspect`'s health log).
 */
import { connect } from 'node:net';

const timeoutMs = Number(process.env.HEALTHCHECK_TIMEOUT_MS) || 4000;

function fail(message) {
  process.stderr.write(`[fileforge:healthcheck] ${message}\n`);
  process.exit(1);
}

async function checkHttp() {
  const port = process.env.PORT || '8000';
  const url = `http://127.0.0.1:${port}/health`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    if (!res.ok) fail(`${url} answered ${res.status}`);
    process.exit(0);
  } catch (error) {
    fail(`${url} did not answer: ${error?.cause?.code ?? error?.name ?? error}`);
  }
}

function checkRedis() {
  const raw = process.env.REDIS_URL;
  if (!raw) fail('REDIS_URL is not set');
  let url;
  try {
    url = new URL(raw);
  } catch {
    fail('REDIS_URL is not a URL');
  }
  const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) || 6379 });
  socket.setTimeout(timeoutMs);
  socket.on('connect', () => {
    socket.destroy();
    process.exit(0);
  });
  socket.on('timeout', () => {
    socket.destroy();
    fail(`no connection to ${url.host} within ${timeoutMs} ms`);
  });
  socket.on('error', (error) => fail(`no connection to ${url.host}: ${error.code ?? error.message}`));
}

if (process.argv.includes('--redis')) checkRedis();
else await checkHttp();
