import { fileURLToPath } from 'node:url';
import { fitEdgeHeapToStations, tuneEdgeHeap } from '../../edge/heap-tuning.ts';
import { serveWorker } from './protocol.ts';

// The heap settings `aftercare edge` applies to itself, before the edge's modules load (as there),
// so edge-throughput measures their CPU cost. AFTERCARE_EDGE_HEAP=fast or node measures the others.
tuneEdgeHeap();
const { parseEdgeConfig, startEdge } = await import('../../edge/index.ts');

/** Takes an edge config as data (profile paths relative to the repository). */
serveWorker(async (config: unknown) => {
  const parsed = parseEdgeConfig(config, {
    source: 'bench edge config',
    baseDir: fileURLToPath(new URL('../..', import.meta.url)),
  });
  // As `aftercare edge` does once its config is read (a fleet edge past AUTO_FAST_ABOVE stations).
  fitEdgeHeapToStations(parsed.stations.length);
  const edge = await startEdge(parsed, { waitForBrokerMs: 10_000 });
  return { info: {}, calls: { stats: () => edge.stats() }, stop: () => edge.stop() };
});
