import { silentLogger } from '../../core/log.ts';
import { hashSecret } from '../../core/secrets.ts';
import { type RunningServer, startServer } from '../../server/index.ts';
import { type RunningMosquitto, startMosquitto } from './mosquitto.ts';

/** The admin of the accounts tests: an accounts-file account with a password that passes the rule. */
export const BOSS = { username: 'boss', password: 'tank level 3.2 m at dawn' };

export interface AccountsServer {
  broker: RunningMosquitto;
  server: RunningServer;
  api(
    method: string,
    path: string,
    token: string | undefined,
    body?: unknown,
    // biome-ignore lint/suspicious/noExplicitAny: tests read the answers field by field, as JSON.parse gives them
  ): Promise<{ status: number; body: any }>;
  /** A token from POST /api/auth/login, or the refusal's status. */
  signIn(username: string, password: string): Promise<string>;
  stop(): Promise<void>;
}

/** A real server (demo assets, the service database in memory) on a real broker, seeded with BOSS. */
export async function startAccountsServer(): Promise<AccountsServer> {
  const broker = await startMosquitto();
  const server = await startServer({
    port: 0,
    mqtt: { url: broker.url },
    dataDir: ':memory:',
    logger: silentLogger(),
    service: { seedDemo: true },
    accounts: [{ username: BOSS.username, passwordHash: await hashSecret(BOSS.password), role: 'admin' }],
  });
  const api: AccountsServer['api'] = async (method, path, token, body) => {
    const response = await fetch(`${server.url}/api${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  return {
    broker,
    server,
    api,
    async signIn(username, password) {
      const answer = await api('POST', '/auth/login', undefined, { username, password });
      if (answer.status !== 200)
        throw new Error(`sign-in of ${username}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body.token as string;
    },
    async stop() {
      await server.stop();
      await broker.stop();
    },
  };
}
