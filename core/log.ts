import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs, one JSON object a line on stderr (stdout stays free for a command's output).
 * Secrets never go in: password, token and secret fields are redacted wherever they appear.
 */
export function createLogger(component: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino(
    {
      name: component,
      level,
      redact: {
        paths: ['password', '*.password', 'token', '*.token', 'secret', '*.secret'],
        censor: '[redacted]',
      },
      base: { component },
    },
    pino.destination(2),
  );
}

/** A logger that writes nothing, for tests and embedded use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
