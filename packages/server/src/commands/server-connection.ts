import { loadCliConfig } from './cli-config.js';

/** A running server a command talks to, and the API key it sends. */
export interface ServerConnection {
  url: string;
  apiKey: string | undefined;
}

/**
 * The server of `--url` (default `http://localhost:$PORT`) and the API key of `--api-key`
 * (default FILEFORGE_API_KEY): what every command that talks to a running server reads.
 */
export function serverConnection(values: {
  url?: string | undefined;
  'api-key'?: string | undefined;
}): ServerConnection {
  return {
    url: values.url ?? `http://localhost:${loadCliConfig().port}`,
    apiKey: values['api-key'] ?? process.env.FILEFORGE_API_KEY,
  };
}

/** A refusal from the server, with its stable code (`NOT_FOUND`, `UNAUTHORIZED`, …) and HTTP status. */
export class ServerRefusal extends Error {
  override name = 'ServerRefusal';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One JSON request to the server's API; the parsed answer, or a {@link ServerRefusal} carrying
 * the server's error code. A server that cannot be reached rejects with the network error.
 */
export async function callServer<T>(
  connection: ServerConnection,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (connection.apiKey) headers.Authorization = `Bearer ${connection.apiKey}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(new URL(path, connection.url), {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ServerRefusal(
      res.status,
      error?.code ?? `HTTP_${res.status}`,
      error?.message ?? res.statusText,
    );
  }
  return json as T;
}
