import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { startMosquitto } from '../../test/support/mosquitto.ts';
import { programStderr, rssBytes, startProgram, startWorker, stopProgram } from '../child.ts';
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
  const warmMs = ctx.quick ? 20_000 : 60_000;
  // Two minutes of samples: V8's first full GC of this heap can come ~100 s after start, and the
  // old generation then grows and shrinks every few seconds; the median is the steady state, the max
  // the worst moment.
  const samples = ctx.quick ? 15 : 60;
  const sampleEveryMs = 2000;
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
  let edge: ChildProcess | undefined;
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
    const bundleBefore = mtimeMs(BUNDLE);
    edge = startProgram(process.execPath, [BIN, 'edge', '--config', configFile, '--stats-every', '0'], {
      ...process.env,
      LOG_LEVEL: 'warn',
      ...(edgeNodeOptions ? { NODE_OPTIONS: edgeNodeOptions } : {}),
    });
    const pid = edge.pid!;
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
    const rss: number[] = [];
    const tree: number[] = [];
    const helpers = new Map<string, number>();
    const split = { anon: [] as number[], file: [] as number[] };
    for (let i = 0; i < samples; i++) {
      const own = await rssBytes(pid);
      let total = own;
      for (const child of descendants(pid)) {
        const bytes = await rssBytes(child.pid).catch(() => 0);
        total += bytes;
        helpers.set(child.comm, Math.max(helpers.get(child.comm) ?? 0, bytes));
      }
      rss.push(own);
      tree.push(total);
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      split.anon.push(statusKb(status, 'RssAnon'));
      split.file.push(statusKb(status, 'RssFile'));
      await sleep(sampleEveryMs);
    }
    const published = telemetry.messages - countedFrom;
    const value = median(rss);
    const peak = Math.max(...rss);
    const treeValue = median(tree);
    const treePeak = Math.max(...tree);
    const helperText =
      helpers.size > 0 ? [...helpers].map(([comm, bytes]) => `${comm} ${mib(bytes)}`).join(', ') : 'none';
    const third = Math.max(1, Math.floor(samples / 3));
    const drift = median(rss.slice(-third)) - median(rss.slice(0, third));
    const windowS = (samples * sampleEveryMs) / 1000;
    const nodeOptions = edgeNodeOptions ? ` with NODE_OPTIONS="${edgeNodeOptions}"` : '';
    console.log(
      `  all ${stations} stations publishing after ${(allUpMs / 1000).toFixed(1)} s, RSS then ${mib(atStart)}; ` +
        `after ${warmMs / 1000} s more: median ${mib(value)}, max ${mib(peak)} over ${samples} samples ${sampleEveryMs / 1000} s apart`,
    );
    console.log(
      `  of it anonymous ${mib(median(split.anon))} (heap, malloc), file-backed ${mib(median(split.file))} (the node binary, native addons); ` +
        `drift last third - first third ${mib(drift)}`,
    );
    console.log(
      `  child processes it keeps (max RSS): ${helperText}; edge process + children: median ${mib(treeValue)}, max ${mib(treePeak)}`,
    );
    console.log(`  launched ${launch}`);
    console.log(`  idle bare node ${mib(bareRss)}; idle node + tsx loader ${mib(tsxRss)}`);
    console.log(
      `  telemetry seen by a subscriber over the samples: ${published} messages (${(published / windowS).toFixed(0)}/s), ${telemetry.notOk} not ok in the run`,
    );
    return {
      section: 'edge-memory',
      metric: `aftercare edge RSS, ${stations} stations`,
      measured: `${mib(value)} (max ${mib(peak)}); with children ${mib(treeValue)} (max ${mib(treePeak)})`,
      reference: `idle node ${mib(bareRss)}, idle node+tsx ${mib(tsxRss)}`,
      ratio: treePeak / LIMIT_BYTES,
      target: '< 80 MiB (the issue asks under 80 MB)',
      pass: treePeak < LIMIT_BYTES,
      notes: [
        `VmRSS of \`aftercare edge --config edge.yaml\` (node bin/aftercare.js${nodeOptions}, which ran ${launch}) polling ${stations} stations over ${stations} TCP connections at the default 1 s / 10 s intervals, in memory spool; sampled ${warmMs / 1000} s after every station published, ${samples} samples over ${windowS} s; ratio is the max sample of the edge process plus the child processes it keeps (${helperText}) over 80 MiB`,
        `anonymous ${mib(median(split.anon))}, file-backed ${mib(median(split.file))}; an idle bare node process holds ${mib(bareRss)}, an idle one with tsx registered ${mib(tsxRss)}; drift over the samples ${mib(drift)}`,
        ...(telemetry.notOk > 0 ? [`${telemetry.notOk} telemetry messages with a state other than ok`] : []),
      ],
    };
  } finally {
    if (edge) await stopProgram(edge, 10_000);
    await subscriber.endAsync(true);
    await mosquitto.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
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
