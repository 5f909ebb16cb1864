import { type ChildProcess, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { loadProfile } from '../../core/profile/load.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { type RunningSimulator, startSimulator } from '../../simulators/index.ts';
import { spawnCollecting, stopChild } from '../support/child-process.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';
import { captureMqtt, waitFor } from './mqtt-capture.ts';

// Issue 17: the edge's disk never stands between a reading and the broker. Real processes: the
// mosquitto broker, the shipped edge (node bin/aftercare.js edge, the prebuilt bundle), a simulator
// over Modbus TCP, and real small filesystems (tmpfs of 1 MiB, mounted; the suite runs as root).
const profileFile = resolve('profiles/booster-3p-380.yaml');
const STATIONS = ['d1', 'd2', 'd3'];
const dir = mkdtempSync(join(tmpdir(), 'aftercare-spool-disk-'));
const mounts: string[] = [];
const children: ChildProcess[] = [];
let broker: RunningMosquitto;
let sim: RunningSimulator;

function mountTmpfs(path: string, size: string): void {
  mkdirSync(path, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', path]);
  mounts.push(path);
}

function startEdge(site: string, spoolDir: string) {
  const config = join(dir, `${site}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      edgeId: `edge-${site}`,
      site,
      mqtt: { url: broker.url },
      pollClasses: { fast: 250, slow: 5000 },
      spool: { dir: spoolDir, retryMs: 1000 },
      stations: STATIONS.map((id) => ({
        id,
        profile: profileFile,
        tcp: { host: '127.0.0.1', port: sim.ports[id] },
      })),
    }),
  );
  return spawnCollecting(
    ['bin/aftercare.js', 'edge', '--config', config, '--stats-every', '1'],
    { env: { LOG_LEVEL: 'info', MQTT_URL: '', AFTERCARE_EDGE_CONFIG: '' } },
    children,
  );
}

/** What the subscriber received of one site: seqs per station and the spool states of the edge's statuses. */
async function watch(site: string) {
  const capture = await captureMqtt(broker.url, `aftercare/v1/${site}/#`);
  const seqs = (station: string) =>
    capture.on(topics.telemetry(site, station)).map((m) => m.payload.seq as number);
  const spoolStates = () =>
    capture
      .on(topics.edgeStatus(site, `edge-${site}`))
      .map((m) => (m.payload.spool as { state: string } | undefined)?.state)
      .filter((s) => s !== undefined);
  return { capture, seqs, spoolStates };
}

/** The edge's last stats line (--stats-every 1), parsed. */
function lastStats(output: string) {
  const line = output
    .split('\n')
    .filter((l) => l.includes('"edge stats"'))
    .at(-1);
  if (!line) throw new Error(`no stats line in the edge's output:\n${output.slice(-2000)}`);
  return JSON.parse(line).stats as {
    stations: Record<string, { published: number }>;
    mqtt: {
      spool: { state: string; unspooled: number; sentLive: number; lost: number; spoolErrors: number };
    };
  };
}

/** Per station: readings the edge published (its stats), readings received, and seqs missing from 0..max. */
function account(seqs: (station: string) => number[], output: string) {
  const stats = lastStats(output);
  return STATIONS.map((station) => {
    const received = new Set(seqs(station));
    const max = Math.max(...received);
    const missing = Array.from({ length: max + 1 }, (_, i) => i).filter((seq) => !received.has(seq));
    return { station, published: stats.stations[station]!.published, received: received.size, missing };
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  expect(process.getuid?.(), 'mounting a 1 MiB tmpfs needs root').toBe(0);
  broker = await startMosquitto();
  sim = await startSimulator({
    profile: loadProfile(profileFile),
    stations: STATIONS.map((id) => ({ id, port: 0 })),
    controlPort: 0,
    seed: 5,
    logger: silentLogger(),
  });
}, 60_000);

afterAll(async () => {
  for (const child of children) await stopChild(child, 5000);
  for (const mount of mounts.reverse()) {
    try {
      execFileSync('umount', [mount]);
    } catch {
      execFileSync('umount', ['-l', mount]);
    }
  }
  await sim?.stop();
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('the edge and its disk', () => {
  test('a 1 MiB spool disk that fills: readings keep flowing live, 0 lost, and the spool comes back when space does', async () => {
    const disk = join(dir, 'disk-full');
    mountTmpfs(disk, '1m');
    const site = 'diskfull';
    const { capture, seqs, spoolStates } = await watch(site);
    const edge = startEdge(site, join(disk, 'spool'));
    try {
      await waitFor(
        'every station streaming',
        () => (STATIONS.every((s) => seqs(s).length >= 8) ? true : undefined),
        60_000,
      );
      expect(spoolStates()).toContain('ok');
      // Something else fills the disk: the spool's next write fails with ENOSPC.
      const ballast = join(disk, 'ballast');
      const chunk = Buffer.alloc(16 * 1024, 1);
      try {
        for (let i = 0; i < 128; i++) writeFileSync(ballast, chunk, { flag: 'a' });
      } catch (error) {
        expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
      }
      await waitFor('status: spool full', () => (spoolStates().includes('full') ? true : undefined), 20_000);
      const atFull = Math.min(...STATIONS.map((s) => seqs(s).length));
      await sleep(6000);
      // Live while full: at 4 polls a second, some 24 more readings per station.
      expect(Math.min(...STATIONS.map((s) => seqs(s).length)) - atFull).toBeGreaterThan(15);
      unlinkSync(ballast);
      await waitFor(
        'status: spool ok again',
        () => (spoolStates().at(-1) === 'ok' ? true : undefined),
        20_000,
      );
      await sleep(3000);
      const stats = lastStats(edge.output());
      await stopChild(edge.child, 8000);
      await sleep(500);
      const accounts = account(seqs, edge.output());
      console.log(
        `1 MiB spool disk filled: ${JSON.stringify(accounts.map(({ missing, ...a }) => ({ ...a, missing: missing.length })))}, spool ${JSON.stringify(stats.mqtt.spool)}`,
      );
      for (const a of accounts) {
        expect(a.missing, a.station).toEqual([]);
        expect(a.received, a.station).toBeGreaterThanOrEqual(a.published);
      }
      expect(stats.mqtt.spool).toMatchObject({ state: 'ok', lost: 0 });
      expect(stats.mqtt.spool.unspooled).toBeGreaterThan(30);
      expect(stats.mqtt.spool.sentLive).toBe(stats.mqtt.spool.unspooled);
      const reasons = edge
        .output()
        .split('\n')
        .filter((l) => l.includes('cannot be written'));
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toContain('no space left on device (ENOSPC); publishing live without a spool');
    } finally {
      await stopChild(edge.child, 8000);
      await capture.stop();
    }
  }, 180_000);

  test('started on a read-only spool directory, the edge says why in one line, publishes live, and spools once it can write', async () => {
    const disk = join(dir, 'disk-ro');
    mountTmpfs(disk, '1m');
    execFileSync('mount', ['-o', 'remount,ro', disk]);
    const site = 'diskro';
    const spoolDir = join(disk, 'spool');
    const { capture, seqs, spoolStates } = await watch(site);
    const edge = startEdge(site, spoolDir);
    try {
      await waitFor(
        'every station streaming',
        () => (STATIONS.every((s) => seqs(s).length >= 12) ? true : undefined),
        60_000,
      );
      expect(spoolStates().at(-1)).toBe('read_only');
      const output = edge.output();
      const reasons = output.split('\n').filter((l) => l.includes(spoolDir));
      expect(reasons, output.slice(0, 3000)).toHaveLength(1);
      expect(reasons[0]).toContain(
        `spool ${spoolDir} cannot be opened: read-only file system (EROFS); publishing live without a spool`,
      );
      expect(reasons[0]!.length).toBeLessThan(500);
      expect(output).not.toContain('Database failed to open');
      expect(lastStats(edge.output()).mqtt.spool).toMatchObject({ state: 'read_only', lost: 0 });

      execFileSync('mount', ['-o', 'remount,rw', disk]);
      await waitFor('status: spool ok', () => (spoolStates().at(-1) === 'ok' ? true : undefined), 20_000);
      expect(existsSync(join(spoolDir, 'CURRENT'))).toBe(true);
      await sleep(2000);
      const stats = lastStats(edge.output());
      await stopChild(edge.child, 8000);
      await sleep(500);
      const accounts = account(seqs, edge.output());
      console.log(
        `read-only spool: ${JSON.stringify(accounts.map(({ missing, ...a }) => ({ ...a, missing: missing.length })))}, spool ${JSON.stringify(stats.mqtt.spool)}`,
      );
      for (const a of accounts) {
        expect(a.missing, a.station).toEqual([]);
        expect(a.received, a.station).toBeGreaterThanOrEqual(a.published);
      }
      expect(stats.mqtt.spool).toMatchObject({ state: 'ok', lost: 0 });
    } finally {
      await stopChild(edge.child, 8000);
      await capture.stop();
    }
  }, 180_000);
});
