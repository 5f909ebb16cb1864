import { startMosquitto } from '../../test/support/mosquitto.ts';
import { startWorker } from '../child.ts';
import { type BenchContext, sleep } from '../options.ts';
import type { SectionResult } from '../report.ts';
import { median, mib } from '../stats.ts';
import type { SimulatorWorkerInfo } from '../workers/simulator.ts';

interface EdgeStatsTotals {
  totals: { cycles: number; readErrors: number; published: number };
}

const LIMIT_BYTES = 80 * 1024 * 1024;

/**
 * Resident memory of one edge process polling 100 stations (each on its own port, so 100 TCP
 * connections) at the default intervals, publishing to Debian's mosquitto.
 */
export async function edgeMemory(ctx: BenchContext): Promise<SectionResult> {
  const stations = 100;
  const warmMs = ctx.quick ? 6000 : 20_000;
  const samples = ctx.quick ? 5 : 10;
  // The same kind of process with nothing loaded: node plus tsx's loader thread.
  const idle = await startWorker('idle', {});
  const idleRss = await idle.rss();
  await idle.stop();
  const sim = await startWorker<SimulatorWorkerInfo>('simulator', { stations });
  const mosquitto = await startMosquitto();
  try {
    const edge = await startWorker('edge', {
      edgeId: 'bench-memory',
      site: 'bench',
      mqtt: { url: mosquitto.url },
      stations: Object.entries(sim.info.ports).map(([id, port]) => ({
        id,
        profile: 'profiles/booster-3p-380.yaml',
        tcp: { host: '127.0.0.1', port, unitId: 1 },
      })),
    });
    try {
      const atStart = await edge.rss();
      await sleep(warmMs);
      const rss: number[] = [];
      for (let i = 0; i < samples; i++) {
        rss.push(await edge.rss());
        await sleep(1000);
      }
      const { totals } = await edge.call<EdgeStatsTotals>('stats');
      const heap = await edge.call<NodeJS.MemoryUsage>('memory');
      const value = median(rss);
      const peak = Math.max(...rss);
      console.log(
        `  RSS at start ${mib(atStart)}; after ${warmMs / 1000} s: median ${mib(value)}, max ${mib(peak)} over ${samples} samples 1 s apart`,
      );
      console.log(
        `  idle node+tsx process ${mib(idleRss)}; edge heap used ${mib(heap.heapUsed)} of ${mib(heap.heapTotal)}, external ${mib(heap.external)}`,
      );
      console.log(
        `  edge stats: ${totals.cycles} cycles, ${totals.published} messages, ${totals.readErrors} read errors`,
      );
      return {
        section: 'edge-memory',
        metric: `edge RSS, ${stations} stations`,
        measured: `${mib(value)} (max ${mib(peak)})`,
        reference: `idle node+tsx ${mib(idleRss)}`,
        ratio: peak / LIMIT_BYTES,
        target: '< 80 MB',
        pass: peak < LIMIT_BYTES,
        notes: [
          `VmRSS of the edge's own node process (tsx loaded, as bin/aftercare.js runs it), sampled after ${warmMs / 1000} s of polling ${stations} stations over ${stations} TCP connections at the default 1 s / 10 s intervals; ratio is the max sample over 80 MiB`,
          `an idle node process with tsx registered (the same launcher, nothing loaded) holds ${mib(idleRss)}; the edge's JS heap was ${mib(heap.heapUsed)} used of ${mib(heap.heapTotal)}`,
          ...(totals.readErrors > 0 ? [`${totals.readErrors} read errors during the run`] : []),
        ],
      };
    } finally {
      await edge.stop();
    }
  } finally {
    await mosquitto.stop();
    await sim.stop();
  }
}
