import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { startMosquitto } from '../../test/support/mosquitto.ts';
import { cpuSeconds, programStderr, rssBytes, startProgram, startWorker, stopProgram } from '../child.ts';
import { type BenchContext, sleep } from '../options.ts';
import type { SectionResult } from '../report.ts';
import { median, mib } from '../stats.ts';
import type { SimulatorWorkerInfo } from '../workers/simulator.ts';

const LIMIT_BYTES = 80 * 1024 * 1024;
const BIN = fileURLToPath(new URL('../../bin/aftercare.js', import.meta.url));
const PROFILE = fileURLToPath(new URL('../../profiles/booster-3p-380.yaml', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../../dist/edge/aftercare-edge.mjs', import.meta.url));

/**
 * Resident memory of the edge as users run it, `aftercare edge --config edge.yaml` (bin/aftercare.js,
 * whatever it loads: the prebuilt dist/edge bundle, built first by that start if missing or stale, with
 * the V8 heap settings it applies to itself; tsx only if the bundle cannot be built), polling 100 stations (each on its own port, so 100 TCP connections) at the
 * default intervals and publishing to Debian's mosquitto. Sampled after a warm-up long enough for
 * every Modbus client to have made 256 requests (modbus-serial's transaction id wraps at 256, and a
 * table that keeps them grows until then), and the drift across the samples is reported. Whatever
 * the edge process starts and keeps running (tsx's esbuild service) is memory the user pays for
 * too, so the target is checked against the process and its descendants together.
 *
 * EDGE_NODE_OPTIONS, when set, becomes the edge process's NODE_OPTIONS (and only its own, as a
 * service unit's `Environment=NODE_OPTIONS=...` would), to measure V8 tuning such as
 * `--max-semi-space-size=4`; the notes say what was used.
 */
export async function edgeMemory(ctx: BenchContext): Promise<SectionResult> {
  const stations = 100;
  // Two minutes of samples: V8's first full GC of this heap can come ~100 s after start, and the
  // old generation then grows and shrinks every few seconds; the median is the steady state, the max
  // the worst moment. The reference runs (the other AFTERCARE_EDGE_HEAP modes) are shorter: they are
  // there for their size and CPU.
  const run = ctx.quick ? { warmMs: 20_000, samples: 15 } : { warmMs: 60_000, samples: 60 };
  const reference = ctx.quick ? { warmMs: 15_000, samples: 10 } : { warmMs: 40_000, samples: 20 };
  const bareRss = await idleRss(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)']);
  const idle = await startWorker('idle', {});
  const tsxRss = await idle.rss();
  await idle.stop();
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-bench-edge-'));
  const sim = await startWorker<SimulatorWorkerInfo>('simulator', { stations });
  const mosquitto = await startMosquitto();
  const site = 'bench';
  const telemetry = { messages: 0, stations: new Set<string>(), notOk: 0 };
  const subscriber = await mqtt.connectAsync(mosquitto.url, { clientId: `bench-edge-memory-${process.pid}` });
  try {
    subscriber.on('message', (_topic, payload) => {
      const message = JSON.parse(payload.toString()) as { station: string; state: string };
      telemetry.messages += 1;
      telemetry.stations.add(message.station);
      if (message.state !== 'ok') telemetry.notOk += 1;
    });
    await subscriber.subscribeAsync(`aftercare/v1/${site}/+/telemetry`, { qos: 0 });
    const configFile = join(dir, 'edge.yaml');
    writeFileSync(configFile, edgeConfigYaml(site, mosquitto.url, sim.info.ports));
    const edgeNodeOptions = process.env.EDGE_NODE_OPTIONS ?? process.env.NODE_OPTIONS;
    const launchEdge = (env: Record<string, string>) =>
      startProgram(process.execPath, [BIN, 'edge', '--config', configFile, '--stats-every', '0'], {
        ...process.env,
        LOG_LEVEL: 'warn',
        ...(edgeNodeOptions ? { NODE_OPTIONS: edgeNodeOptions } : {}),
        ...env,
      });
    const tuned = await sampleEdge(launchEdge({}), stations, telemetry, run);
    console.log(
      `  all ${stations} stations publishing after ${(tuned.allUpMs / 1000).toFixed(1)} s, RSS then ${mib(tuned.atStart)}; ` +
        `after ${run.warmMs / 1000} s more: median ${mib(median(tuned.rss))}, max ${mib(Math.max(...tuned.rss))} over ${run.samples} samples ${SAMPLE_EVERY_MS / 1000} s apart`,
    );
    console.log(
      `  of it anonymous ${mib(median(tuned.anon))} (heap, malloc), file-backed ${mib(median(tuned.file))} (the node binary, native addons); ` +
        `drift last third - first third ${mib(tuned.drift)}; CPU ${pct(tuned.cpuShare)} of one core`,
    );
    const helperText =
      tuned.helpers.size > 0
        ? [...tuned.helpers].map(([comm, bytes]) => `${comm} ${mib(bytes)}`).join(', ')
        : 'none';
    const treeValue = median(tuned.tree);
    const treePeak = Math.max(...tuned.tree);
    console.log(
      `  child processes it keeps (max RSS): ${helperText}; edge process + children: median ${mib(treeValue)}, max ${mib(treePeak)}`,
    );
    console.log(`  launched ${tuned.launch}`);
    const others: Array<{ mode: string; what: string; samples: EdgeSamples }> = [];
    for (const [mode, what] of [
      ['fast', 'heap settings, TurboFan'],
      ['node', "V8's defaults"],
    ] as const) {
      const samples = await sampleEdge(
        launchEdge({ AFTERCARE_EDGE_HEAP: mode }),
        stations,
        telemetry,
        reference,
      );
      others.push({ mode, what, samples });
      console.log(
        `  the same edge with AFTERCARE_EDGE_HEAP=${mode} (${what}), ${reference.warmMs / 1000} s warm-up, ${reference.samples} samples: ` +
          `median ${mib(median(samples.rss))}, max ${mib(Math.max(...samples.rss))}; anonymous ${mib(median(samples.anon))}, ` +
          `file-backed ${mib(median(samples.file))}; CPU ${pct(samples.cpuShare)} of one core`,
      );
    }
    console.log(`  idle bare node ${mib(bareRss)}; idle node + tsx loader ${mib(tsxRss)}`);
    const windowS = (run.samples * SAMPLE_EVERY_MS) / 1000;
    console.log(
      `  telemetry seen by a subscriber over the tuned edge's samples: ${tuned.published} messages (${(tuned.published / windowS).toFixed(0)}/s), ${telemetry.notOk} not ok in the run`,
    );
    const value = median(tuned.rss);
    const peak = Math.max(...tuned.rss);
    const nodeOptions = edgeNodeOptions ? ` with NODE_OPTIONS="${edgeNodeOptions}"` : '';
    return {
      section: 'edge-memory',
      metric: `aftercare edge RSS, ${stations} stations`,
      measured: `${mib(value)} (max ${mib(peak)}), CPU ${pct(tuned.cpuShare)}; with children ${mib(treeValue)} (max ${mib(treePeak)})`,
      reference: `${others.map((o) => `${o.mode} ${mib(median(o.samples.rss))}, CPU ${pct(o.samples.cpuShare)}`).join('; ')}; idle node ${mib(bareRss)}, idle node+tsx ${mib(tsxRss)}`,
      ratio: treePeak / LIMIT_BYTES,
      target: '< 80 MiB (the issue asks under 80 MB)',
      pass: treePeak < LIMIT_BYTES,
      notes: [
        `VmRSS of \`aftercare edge --config edge.yaml\` (node bin/aftercare.js${nodeOptions}, which ran ${tuned.launch}) polling ${stations} stations over ${stations} TCP connections at the default 1 s / 10 s intervals, in memory spool; sampled ${run.warmMs / 1000} s after every station published, ${run.samples} samples over ${windowS} s; ratio is the max sample of the edge process plus the child processes it keeps (${helperText}) over 80 MiB`,
        `anonymous ${mib(median(tuned.anon))}, file-backed ${mib(median(tuned.file))}; an idle bare node process holds ${mib(bareRss)}, an idle one with tsx registered ${mib(tsxRss)}; drift over the samples ${mib(tuned.drift)}`,
        `CPU is the edge process's user + system time over its samples, as a share of one core. The default mode (lean) runs hot code as Sparkplug baseline code, not TurboFan; the references are the same edge, config and simulators started again with AFTERCARE_EDGE_HEAP=fast (heap settings, TurboFan) and =node (V8's defaults), each sampled ${reference.samples} times after ${reference.warmMs / 1000} s: ${others.map((o) => `${o.mode} RSS median ${mib(median(o.samples.rss))} (max ${mib(Math.max(...o.samples.rss))}), anonymous ${mib(median(o.samples.anon))}, file-backed ${mib(median(o.samples.file))}`).join('; ')}`,
        ...(telemetry.notOk > 0 ? [`${telemetry.notOk} telemetry messages with a state other than ok`] : []),
      ],
    };
  } finally {
    await subscriber.endAsync(true);
    await mosquitto.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const SAMPLE_EVERY_MS = 2000;

interface EdgeSamples {
  allUpMs: number;
  atStart: number;
  launch: string;
  rss: number[];
  tree: number[];
  anon: number[];
  file: number[];
  helpers: Map<string, number>;
  drift: number;
  /** User + system CPU over the samples, as a share of one core. */
  cpuShare: number;
  /** Telemetry messages the subscriber saw over the samples. */
  published: number;
}

/**
 * Waits until every station published since this edge started, then for `warmMs`, then samples its
 * RSS (and its descendants') `samples` times; stops the edge before it returns.
 */
async function sampleEdge(
  edge: ChildProcess,
  stations: number,
  telemetry: { messages: number; stations: Set<string> },
  { warmMs, samples }: { warmMs: number; samples: number },
): Promise<EdgeSamples> {
  try {
    const pid = edge.pid!;
    const bundleBefore = mtimeMs(BUNDLE);
    telemetry.stations.clear();
    const startedAt = Date.now();
    while (telemetry.stations.size < stations) {
      if (edge.exitCode !== null) throw new Error(`aftercare edge exited: ${programStderr(edge)}`);
      if (Date.now() - startedAt > 60_000) {
        throw new Error(`only ${telemetry.stations.size} of ${stations} stations published within 60 s`);
      }
      await sleep(200);
    }
    const allUpMs = Date.now() - startedAt;
    const bundleAfter = mtimeMs(BUNDLE);
    const launch =
      bundleAfter === undefined
        ? 'from its TypeScript sources through tsx (no dist/edge bundle)'
        : `the prebuilt dist/edge/aftercare-edge.mjs${bundleAfter === bundleBefore ? '' : ' (built by this start)'}`;
    const atStart = await rssBytes(pid);
    await sleep(warmMs);
    const countedFrom = telemetry.messages;
    const cpuFrom = await cpuSeconds(pid);
    const sampledFrom = performance.now();
    const out = { rss: [] as number[], tree: [] as number[], anon: [] as number[], file: [] as number[] };
    const helpers = new Map<string, number>();
    for (let i = 0; i < samples; i++) {
      const own = await rssBytes(pid);
      let total = own;
      for (const child of descendants(pid)) {
        const bytes = await rssBytes(child.pid).catch(() => 0);
        total += bytes;
        helpers.set(child.comm, Math.max(helpers.get(child.comm) ?? 0, bytes));
      }
      out.rss.push(own);
      out.tree.push(total);
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      out.anon.push(statusKb(status, 'RssAnon'));
      out.file.push(statusKb(status, 'RssFile'));
      await sleep(SAMPLE_EVERY_MS);
    }
    const cpuShare = ((await cpuSeconds(pid)) - cpuFrom) / ((performance.now() - sampledFrom) / 1000);
    const third = Math.max(1, Math.floor(samples / 3));
    const drift = median(out.rss.slice(-third)) - median(out.rss.slice(0, third));
    const published = telemetry.messages - countedFrom;
    return { allUpMs, atStart, launch, ...out, helpers, drift, cpuShare, published };
  } finally {
    await stopProgram(edge, 10_000);
  }
}

function pct(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function mtimeMs(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** RSS of a program that does nothing, a few seconds after it started. */
async function idleRss(command: string, args: string[]): Promise<number> {
  const child = startProgram(command, args);
  try {
    await sleep(2000);
    return await rssBytes(child.pid!);
  } finally {
    await stopProgram(child);
  }
}

/** Every process below `pid` (children, their children, ...), from /proc. */
function descendants(pid: number): Array<{ pid: number; comm: string }> {
  const parents = new Map<number, Array<{ pid: number; comm: string }>>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), { pid: Number(entry), comm }]);
    } catch {
      // the process ended while we looked
    }
  }
  const found: Array<{ pid: number; comm: string }> = [];
  const walk = (parent: number) => {
    for (const child of parents.get(parent) ?? []) {
      found.push(child);
      walk(child.pid);
    }
  };
  walk(pid);
  return found;
}

function statusKb(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

/** An edge.yaml as a user writes it: one station per simulator port, defaults for everything else. */
function edgeConfigYaml(site: string, mqttUrl: string, ports: Record<string, number>): string {
  const lines = ['edgeId: bench-memory', `site: ${site}`, 'mqtt:', `  url: ${mqttUrl}`, 'stations:'];
  for (const [id, port] of Object.entries(ports)) {
    lines.push(
      `  - id: ${id}`,
      `    profile: ${JSON.stringify(PROFILE)}`,
      `    tcp: { host: 127.0.0.1, port: ${port}, unitId: 1 }`,
    );
  }
  return `${lines.join('\n')}\n`;
}
