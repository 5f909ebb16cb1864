import type { Logger } from '../../core/log.ts';

/** Node-RED's numeric log levels (node-red/util log.js). */
const LEVELS: Record<number, 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'> = {
  10: 'fatal',
  20: 'error',
  30: 'warn',
  40: 'info',
  50: 'debug',
  60: 'trace',
};

// Warnings about a choice made on purpose: the credential key is generated and kept in the service
// database with the flows (every instance reads it there), and a new database has no credentials.
const QUIET = [/system-generated key/, /Encrypted credentials not found/];

interface NodeRedLogMessage {
  level: number;
  msg: unknown;
  type?: string;
  id?: string;
  name?: string;
}

/** Node-RED's `logging` setting: its log lines go to the server's logger only (no console of its own). */
export function nodeRedLogging(logger: Logger, level: string) {
  const child = logger.child({ part: 'flows' });
  return {
    aftercare: {
      level,
      metrics: false,
      audit: false,
      handler: () => (message: NodeRedLogMessage) => {
        const at = QUIET.some((re) => re.test(String(message.msg)))
          ? 'debug'
          : (LEVELS[message.level] ?? 'info');
        const node = message.type ? { node: { type: message.type, id: message.id, name: message.name } } : {};
        if (message.msg instanceof Error) child[at]({ err: message.msg, ...node }, 'node-red');
        else child[at](node, typeof message.msg === 'string' ? message.msg : JSON.stringify(message.msg));
      },
    },
  };
}
