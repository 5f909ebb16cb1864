import { startBroker } from '../../broker/index.ts';
import { silentLogger } from '../../core/log.ts';
import { serveWorker } from './protocol.ts';

/** The project's broker (aedes) alone on a free port, anonymous clients allowed. */
serveWorker(async () => {
  const broker = await startBroker({ port: 0, allowAnonymous: true, logger: silentLogger() });
  return { info: { url: broker.url }, calls: { stats: () => broker.stats() }, stop: () => broker.close() };
});
