import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ensureSystemPackages } from '../test/support/system-packages.ts';
import { killLeftovers } from './child.ts';
import type { BenchContext } from './options.ts';
import { printSection, type SectionResult, summaryTable } from './report.ts';
import { analytics } from './sections/analytics.ts';
import { broker } from './sections/broker.ts';
import { degradation } from './sections/degradation.ts';
import { diyNodeRed } from './sections/diy-node-red.ts';
import { edgeMemory } from './sections/edge-memory.ts';
import { edgeReads } from './sections/edge-reads.ts';
import { edgeThroughput } from './sections/edge-throughput.ts';
import { faultClasses, faultClassesShort, faultClassesSlow } from './sections/fault-classes.ts';
import { faultToTicket } from './sections/fault-to-ticket.ts';
import { fleet } from './sections/fleet.ts';
import { ims } from './sections/ims.ts';
import { liveFanout } from './sections/live-fanout.ts';
import { pipeline } from './sections/pipeline.ts';
import { scaleout } from './sections/scaleout.ts';
import { serverSoak } from './sections/server-soak.ts';
import { stationPage } from './sections/station-page.ts';

const SECTIONS: Record<string, (ctx: BenchContext) => Promise<SectionResult>> = {
  'edge-reads': edgeReads,
  'edge-throughput': edgeThroughput,
  'edge-memory': edgeMemory,
  pipeline,
  broker,
  'server-soak': serverSoak,
  'fault-to-ticket': faultToTicket,
  'live-fanout': liveFanout,
  'station-page': stationPage,
  analytics,
  degradation,
  ims,
  'fault-classes': faultClasses,
  'diy-node-red': diyNodeRed,
  'fault-classes-short': faultClassesShort,
  'fault-classes-slow': faultClassesSlow,
  fleet,
  scaleout,
};

/** Halves of a section, run only when named (the whole bench runs the section itself). */
const PARTS = new Set(['fault-classes-short', 'fault-classes-slow']);

const USAGE = `usage: npm run bench -- [--quick] [--only <section>[,<section>]] [--rounds N] [--soak-seconds N]
sections: ${Object.keys(SECTIONS).join(', ')}`;

const flagsSchema = z.object({
  quick: z.boolean().default(false),
  only: z
    .string()
    .optional()
    .transform((v) =>
      v ? v.split(',').map((s) => s.trim()) : Object.keys(SECTIONS).filter((n) => !PARTS.has(n)),
    )
    .refine((names) => names.every((n) => n in SECTIONS), {
      message: `sections are ${Object.keys(SECTIONS).join(', ')}`,
    }),
  rounds: z.coerce.number().int().min(1).max(20).optional(),
  soakSeconds: z.coerce.number().int().min(20).max(7200).optional(),
  help: z.boolean().default(false),
});

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      only: { type: 'string' },
      rounds: { type: 'string' },
      'soak-seconds': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const parsed = flagsSchema.safeParse({ ...values, soakSeconds: values['soak-seconds'] });
  if (!parsed.success) {
    console.error(
      `${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n')}\n${USAGE}`,
    );
    return 2;
  }
  const flags = parsed.data;
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  // The sections start real servers (influxd, PostgreSQL, NATS, Redis, mbpoll, Chromium), as the tests do.
  ensureSystemPackages();
  const ctx: BenchContext = {
    quick: flags.quick,
    rounds: flags.rounds ?? (flags.quick ? 1 : 3),
    soakSeconds: flags.soakSeconds ?? (flags.quick ? 20 : 120),
  };
  const started = Date.now();
  const results: SectionResult[] = [];
  let failed = 0;
  for (const name of flags.only) {
    console.log(`\n## ${name}`);
    const t0 = Date.now();
    try {
      const result = await SECTIONS[name]!(ctx);
      printSection(result);
      results.push(result);
    } catch (error) {
      failed++;
      console.error(`  ${name} failed: ${(error as Error).stack ?? error}`);
      killLeftovers();
    }
    console.log(`  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  const header =
    `Measured by \`npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\` ` +
    `on ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${ctx.rounds} round(s), medians; ` +
    `the whole run took ${((Date.now() - started) / 1000).toFixed(0)} s.`;
  const table = summaryTable(results, header);
  console.log(`\n${table}`);
  const file = fileURLToPath(new URL('./results.md', import.meta.url));
  mkdirSync(fileURLToPath(new URL('.', import.meta.url)), { recursive: true });
  writeFileSync(file, table);
  console.log(`(written to bench/results.md)`);
  return failed > 0 ? 1 : 0;
}

process.on('SIGINT', () => {
  killLeftovers();
  process.exit(130);
});
process.exitCode = await main();
// Sockets a failed section left open must not keep the bench alive.
killLeftovers();
setTimeout(() => process.exit(process.exitCode), 500).unref();
