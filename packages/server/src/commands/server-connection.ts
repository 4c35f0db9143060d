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
