import { startBroker } from '../../broker/index.ts';
import { silentLogger } from '../../core/log.ts';
import { parseEdgeConfig, startEdge } from '../../edge/index.ts';
import { startSimulator } from '../../simulators/index.ts';
import { type BenchContext, sleep } from '../options.ts';
import { readBounds, referenceProfile } from '../profile-reads.ts';
import type { SectionResult } from '../report.ts';
import { fmt } from '../stats.ts';

interface Run {
  label: string;
  cycles: number;
  reads: number;
  expected: number;
  readErrors: number;
}

/**
 * Modbus reads per poll cycle against the planner's lower bound, in two schedules whose expected
 * count is exact: (a) slow tags due once (the first cycle) and then only fast cycles, (b) both
 * classes due every cycle. Simulator, edge and broker share this process: only counts matter here.
 */
export async function edgeReads(ctx: BenchContext): Promise<SectionResult> {
  const profile = referenceProfile();
  const bounds = readBounds(profile);
  const runMs = ctx.quick ? 1500 : 3000;
  const broker = await startBroker({ port: 0, allowAnonymous: true, logger: silentLogger() });
  const sim = await startSimulator({
    profile,
    stations: [{ id: 'r1', port: 0 }],
    controlPort: 0,
    logger: silentLogger(),
  });
  try {
    const run = async (label: string, slowMs: number): Promise<Run> => {
      const config = parseEdgeConfig({
        edgeId: 'bench-reads',
        site: 'bench',
        mqtt: { url: broker.url },
        pollClasses: { fast: 100, slow: slowMs },
        stations: [{ id: 'r1', profile, tcp: { host: sim.host, port: sim.ports.r1!, unitId: 1 } }],
      });
      const edge = await startEdge(config, { waitForBrokerMs: 5000 });
      await sleep(runMs);
      // Stopping cuts the cycle in progress short, so count from a snapshot taken between cycles
      // (two equal snapshots 5 ms apart: no read in flight; a cycle takes a few ms every 100 ms).
      let totals = edge.stats().totals;
      for (let tries = 0; tries < 40; tries++) {
        await sleep(5);
        const again = edge.stats().totals;
        if (again.reads === totals.reads && again.cycles === totals.cycles) break;
        totals = again;
      }
      await edge.stop();
      const { cycles, reads, readErrors } = totals;
      const expected = slowMs === 100 ? cycles * bounds.all : bounds.all + (cycles - 1) * bounds.fast;
      return { label, cycles, reads, expected, readErrors };
    };
    const runs = [await run('fast only (slow due once)', 3_600_000), await run('fast+slow every cycle', 100)];
    const reads = runs.reduce((a, r) => a + r.reads, 0);
    const expected = runs.reduce((a, r) => a + r.expected, 0);
    const errors = runs.reduce((a, r) => a + r.readErrors, 0);
    for (const r of runs) {
      console.log(
        `  ${r.label}: ${r.cycles} cycles, ${r.reads} reads = ${fmt(r.reads / r.cycles, 2)}/cycle; lower bound ${r.expected} reads`,
      );
    }
    return {
      section: 'edge-reads',
      metric: 'Modbus reads per poll cycle',
      measured: `${fmt(runs[0]!.reads / runs[0]!.cycles, 2)} (fast), ${fmt(runs[1]!.reads / runs[1]!.cycles, 2)} (fast+slow)`,
      reference: `lower bound ${bounds.fast} (fast), ${bounds.all} (fast+slow)`,
      ratio: reads / expected,
      target: '= lower bound',
      pass: reads === expected && errors === 0,
      notes: [
        `reads and cycles from the edge's stats; lower bound from lowerBoundReads over the reference profile's tags`,
        ...(errors > 0 ? [`${errors} read errors (retries count as reads)`] : []),
      ],
    };
  } finally {
    await sim.stop();
    await broker.close();
  }
}
