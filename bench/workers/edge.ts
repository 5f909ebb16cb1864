import { fileURLToPath } from 'node:url';
import { parseEdgeConfig, startEdge } from '../../edge/index.ts';
import { serveWorker } from './protocol.ts';

/** Takes an edge config as data (profile paths relative to the repository). */
serveWorker(async (config: unknown) => {
  const parsed = parseEdgeConfig(config, {
    source: 'bench edge config',
    baseDir: fileURLToPath(new URL('../..', import.meta.url)),
  });
  const edge = await startEdge(parsed, { waitForBrokerMs: 10_000 });
  return { info: {}, calls: { stats: () => edge.stats() }, stop: () => edge.stop() };
});
