import pino, { type Logger } from 'pino';

/**
 * Creates the server's JSON logger. Authorization headers, cookies and API keys are
 * redacted wherever they appear in a logged object.
 */
export function createLogger(level = 'info', options: { stderr?: boolean } = {}): Logger {
  const destination = options.stderr ? pino.destination(2) : undefined;
  return pino(
    {
      level,
      base: { service: 'fileforge' },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', '*.apiKey', '*.password', '*.token'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
