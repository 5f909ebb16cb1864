import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Logger } from '../../core/log.ts';

export interface RedisLiveAdapter {
  /** For attachLiveUpdates' `adapter`. */
  adapter: ReturnType<typeof createAdapter>;
  close(): Promise<void>;
}

/**
 * The socket.io Redis adapter (pub/sub): an event emitted on one instance reaches the sockets of
 * every instance, so a dashboard sees every station whichever instance it is connected to.
 */
export async function connectRedisLiveAdapter(url: string, logger: Logger): Promise<RedisLiveAdapter> {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  for (const client of [pub, sub])
    client.on('error', (error: unknown) => logger.warn({ err: error }, 'redis connection error'));
  await Promise.all([pub.connect(), sub.connect()]);
  return {
    adapter: createAdapter(pub, sub),
    async close() {
      await Promise.all([pub.quit().catch(() => {}), sub.quit().catch(() => {})]);
    },
  };
}
