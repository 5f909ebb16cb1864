import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect as connectNats } from '@nats-io/transport-node';
import pg from 'pg';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { freePort } from '../../core/net.ts';
import { hashSecret } from '../../core/secrets.ts';
import { LEASE_BUCKET } from '../../server/cluster/cluster-ingest.ts';
import { INGEST_STREAM } from '../../server/cluster/subjects.ts';
import { aftercare, type Component, sleep, until } from '../faults/processes.ts';
import { startInfluxDb } from '../support/influxdb.ts';
import { startNatsServer } from '../support/nats-server.ts';
import { startPostgres } from '../support/postgres.ts';
import { startRedisServer } from '../support/redis-server.ts';
import { DRILL_SITE, startDrillLoad, stationName } from './drill-load.ts';
import { cpuMsOf, METRICS_TOKEN, storedPerStation, telemetryIn } from './drill-probes.ts';

export interface DrillOptions {
  stations: number;
  partitions: number;
  secondsBeforeKill: number;
  secondsAfterKill: number;
  /** MQTT publishing clients (each an edge serving its share of the stations). Default 3. */
  edges?: number;
  /** Progress lines. Default none. */
  log?: (line: string) => void;
}

export interface InstanceCpu {
  instance: string;
  cpuMs: number;
  telemetry: number;
  /** CPU ms per 1,000 telemetry messages stored by this instance. */
  msPer1000: number;
}

export interface DrillResult {
  published: number;
  publishFailures: number;
  stored: number;
  /** Sum over stations of acknowledged-by-broker minus stored (never negative per station). */
  lost: number;
  victim: string;
  victimPartitions: number[];
  victimStations: number;
  /** From SIGKILL until every partition of the victim was leased by a survivor. */
  leaseTakeoverSeconds: number;
  /**
   * From SIGKILL until the last of the victim's stations reached the watching dashboard again (counting
   * only updates from 1 s after the kill on: earlier ones are the victim's own, still in transit).
   */
  stationTakeoverSeconds: number;
  /** Victim stations the dashboard (on another instance) saw before the kill, and after it. */
  victimStationsSeenBefore: number;
  victimStationsSeenAfter: number;
  /** Longest silence of a victim station at the dashboard after its takeover, s. */
  longestGapAfterTakeoverSeconds: number;
  faults: number;
  /** Faulted stations with exactly one ticket of the trip's class, and how many more tickets there were. */
  faultsWithOneTicket: number;
  duplicateTickets: number;
  /** Tickets of stations that were never faulted (e.g. `comms_lost` of a station only moved). */
  unexpectedTickets: number;
  /** Ticket counts that are not one per faulted station: a second ticket or another class. */
  ticketRows: Array<{ station: string; fault_class: string; n: number }>;
  /** Per victim partition: seconds from the kill to its first station's update at the dashboard. */
  partitionTakeoverSeconds: Record<number, number>;
  cpu: InstanceCpu[];
  /** Leases an instance dropped or lost while alive (in the survivors' logs): 0 when nothing flapped. */
  leaseLossesLogged: number;
  /** Seconds from the servers listening to the end of the drill. */
  drillSeconds: number;
}

const SECRET = 'scale-out drill secret, thirty-two bytes or more';
const WATCHER = { username: 'watcher', password: 'pressure holds at 3.5 bar all night' };

/**
 * The scale-out drill: real nats-server (JetStream + MQTT), redis-server, PostgreSQL and influxd,
 * three `aftercare server` processes; `stations` publish every second; half the faulted stations
 * trip before the kill, half after; the instance with most partitions is SIGKILLed mid-load while a
 * dashboard socket on another instance watches the site.
 */
export async function runScaleoutDrill(options: DrillOptions): Promise<DrillResult> {
  const log = options.log ?? (() => {});
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const [postgres, influx, nats, redis] = await Promise.all([
      startPostgres(),
      startInfluxDb(),
      startNatsServer(options.partitions),
      startRedisServer(),
    ]);
    cleanups.push(postgres.stop, influx.stop, nats.stop, redis.stop);
    const dir = await mkdtemp(join(tmpdir(), 'aftercare-scaleout-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const accountsFile = join(dir, 'accounts.yaml');
    await writeFile(
      accountsFile,
      `accounts:\n  - username: ${WATCHER.username}\n    passwordHash: "${await hashSecret(WATCHER.password)}"\n    role: admin\n`,
    );
    const servers: Array<{ name: string; component: Component; url: string }> = [];
    for (let i = 0; i < 3; i++) {
      const name = `s${i}`;
      const port = await freePort();
      const component = aftercare(
        name,
        'server',
        [
          '--port',
          String(port),
          '--mqtt-url',
          nats.mqttUrl,
          '--cluster',
          nats.natsUrl,
          '--partitions',
          String(options.partitions),
          '--cluster-instance',
          name,
          '--cluster-settle',
          '10000',
          '--redis',
          redis.url,
          '--influx-url',
          influx.url,
          '--data-dir',
          join(dir, name),
          '--station-check',
          'off',
          '--accounts',
          accountsFile,
          '--no-flows',
        ],
        { DATABASE_URL: postgres.url, AUTH_SECRET: SECRET, METRICS_TOKEN },
      );
      component.start();
      servers.push({ name, component, url: `http://127.0.0.1:${port}` });
    }
    cleanups.push(() => Promise.all(servers.map((s) => s.component.stop())));
    for (const server of servers) {
      const up = await until(
        `${server.name} listening`,
        async () => {
          if (!server.component.running) return 'exited';
          return (await fetch(`${server.url}/api/health`)).ok ? 'up' : undefined;
        },
        120_000,
        500,
      );
      if (up === 'exited') throw new Error(`${server.name} exited:\n${server.component.output()}`);
    }
    log('three servers listening');
    const drillStarted = Date.now();

    const nc = await connectNats({ servers: nats.natsUrl });
    cleanups.push(() => nc.close());
    const kv = await new Kvm(nc).open(LEASE_BUCKET);
    const owners = async () => {
      const owner = new Map<number, string>();
      for (let p = 0; p < options.partitions; p++) {
        const entry = await kv.get(`partition.${p}`);
        if (entry?.operation === 'PUT') owner.set(p, entry.string());
      }
      return owner;
    };
    const leased = await until(
      'every partition leased',
      async () => {
        const owner = await owners();
        return owner.size === options.partitions ? owner : undefined;
      },
      60_000,
      500,
    );
    const byInstance = new Map<string, number[]>();
    for (const [p, name] of leased) byInstance.set(name, [...(byInstance.get(name) ?? []), p]);
    log(`leases: ${[...byInstance].map(([n, ps]) => `${n}=${ps.length}`).join(' ')}`);
    const victimName = [...byInstance].sort((a, b) => b[1].length - a[1].length)[0]![0];
    let victimPartitions = byInstance.get(victimName)!;
    const victim = servers.find((s) => s.name === victimName)!;
    const watcher = servers.find((s) => s.name !== victimName)!;

    // Which partition each station hashes to, as nats-server maps it.
    const partitionOf = new Map<string, number>();
    const mapSub = nc.subscribe(`aftercare.p.*.v1.${DRILL_SITE}.*.telemetry`, {
      callback: (_error, message) => {
        const parts = message.subject.split('.');
        partitionOf.set(parts[5]!, Number(parts[2]));
      },
    });

    const login = await fetch(`${watcher.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(WATCHER),
    });
    if (!login.ok) throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);
    const { token } = (await login.json()) as { token: string };
    const socket: Socket = connectSocket(watcher.url, { auth: { token }, transports: ['websocket'] });
    cleanups.push(async () => socket.close());
    const seen = new Map<string, number[]>();
    socket.on('station:update', (view: { station: string; site: string }) => {
      if (view.site !== DRILL_SITE) return;
      const times = seen.get(view.station) ?? [];
      times.push(Date.now());
      seen.set(view.station, times);
    });
    await until('dashboard socket connected', async () => (socket.connected ? true : undefined), 20_000);
    const ack = await socket.timeout(10_000).emitWithAck('subscribe', { site: DRILL_SITE });
    if (!ack.ok) throw new Error(`subscribe refused: ${JSON.stringify(ack)}`);

    const faulted = Array.from({ length: options.stations }, (_, i) => stationName(i)).filter(
      (_, i) => i % 25 === 7,
    );
    const load = await startDrillLoad(nats.mqttUrl, options.stations, options.edges ?? 3);
    cleanups.push(() => load.stop());
    const loadStarted = Date.now();
    const cpuStart = new Map(servers.map((s) => [s.name, cpuMsOf(s.component.child.pid!)] as const));
    const telemetryStart = new Map<string, number>();
    for (const s of servers) telemetryStart.set(s.name, await telemetryIn(s.url));
    await sleep(3000);
    load.trip(faulted.slice(0, Math.ceil(faulted.length / 2)));
    log(`load of ${options.stations} stations started; ${faulted.length} faults`);
    await sleep(options.secondsBeforeKill * 1000 - 3000);

    const cpu: InstanceCpu[] = [];
    const sample = async (server: (typeof servers)[number]) => {
      const cpuMs = (await cpuMsOf(server.component.child.pid!)) - (await cpuStart.get(server.name)!);
      const telemetry = (await telemetryIn(server.url)) - telemetryStart.get(server.name)!;
      cpu.push({
        instance: server.name,
        cpuMs,
        telemetry,
        msPer1000: telemetry > 0 ? (cpuMs / telemetry) * 1000 : 0,
      });
    };
    await sample(victim);
    // What it holds at the kill (the same as at the start unless a lease moved under load).
    victimPartitions = [...(await owners())].filter(([, name]) => name === victimName).map(([p]) => p);
    const killedAt = Date.now();
    await victim.component.kill();
    log(`killed ${victimName} (${victimPartitions.length} partitions)`);
    const leaseTakeover = await until(
      'victim partitions leased again',
      async () => {
        const owner = await owners();
        return victimPartitions.every((p) => owner.has(p) && owner.get(p) !== victimName)
          ? Date.now()
          : undefined;
      },
      30_000,
      200,
    ).catch(async (error: Error) => {
      const owner = await owners();
      const lines = servers
        .filter((s) => s !== victim)
        .flatMap((s) =>
          s.component
            .output()
            .split('\n')
            .filter((l) => /partition|lease|claim|cluster/i.test(l))
            .slice(-15)
            .map((l) => `${s.name}: ${l.slice(0, 300)}`),
        );
      throw new Error(`${error.message}; owners ${JSON.stringify([...owner])}\n${lines.join('\n')}`);
    });
    await sleep(5000);
    load.trip(faulted);
    await sleep(Math.max(0, options.secondsAfterKill * 1000 - (Date.now() - killedAt)));
    const loadEnded = Date.now();
    await load.stop();
    log('load stopped; draining');
    for (const server of servers) if (server !== victim) await sample(server);
    mapSub.unsubscribe();

    const jsm = await jetstreamManager(nc);
    await until(
      'stream drained',
      async () => ((await jsm.streams.info(INGEST_STREAM)).state.messages === 0 ? true : undefined),
      90_000,
      500,
    );
    const published = sum(load.published.values());
    const storedPer = await storedPerStation(influx.url);
    const stored = await until(
      'stored counts settle',
      async () => {
        const now = await storedPerStation(influx.url);
        const total = sum(now.values());
        return total >= published ? now : undefined;
      },
      20_000,
      1000,
    ).catch(() => storedPer);
    let lost = 0;
    for (const [station, count] of load.published) lost += Math.max(0, count - (stored.get(station) ?? 0));

    const victimStations = [...partitionOf].filter(([, p]) => victimPartitions.includes(p)).map(([s]) => s);
    // The victim's last updates still cross Redis just after the SIGKILL: a survivor's come later.
    const servedAgain = killedAt + 1000;
    const firstAfter = victimStations.map((s) => (seen.get(s) ?? []).find((t) => t > servedAgain));
    const victimStationsSeenAfter = firstAfter.filter((t) => t !== undefined).length;
    const stationTakeoverSeconds =
      (Math.max(...firstAfter.map((t) => t ?? Number.POSITIVE_INFINITY)) - killedAt) / 1000;
    let longestGap = 0;
    for (const station of victimStations) {
      const times = (seen.get(station) ?? []).filter((t) => t > killedAt && t <= loadEnded);
      for (let i = 1; i < times.length; i++) longestGap = Math.max(longestGap, times[i]! - times[i - 1]!);
    }
    const victimStationsSeenBefore = victimStations.filter((s) =>
      (seen.get(s) ?? []).some((t) => t < killedAt && t > loadStarted),
    ).length;

    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    cleanups.push(() => client.end());
    const ticketRows = await until(
      'a ticket for every fault',
      async () => {
        const { rows } = await client.query<{ station: string; fault_class: string; n: number }>(
          `SELECT station, fault_class, count(*)::int AS n FROM tickets WHERE site = $1 AND fault_class IS NOT NULL GROUP BY station, fault_class`,
          [DRILL_SITE],
        );
        return new Set(rows.map((r) => r.station)).size >= faulted.length ? rows : undefined;
      },
      30_000,
      1000,
    ).catch(
      async () =>
        (
          await client.query<{ station: string; fault_class: string; n: number }>(
            `SELECT station, fault_class, count(*)::int AS n FROM tickets WHERE site = $1 AND fault_class IS NOT NULL GROUP BY station, fault_class`,
            [DRILL_SITE],
          )
        ).rows,
    );
    const ticketsOf = (station: string) => ticketRows.filter((r) => r.station === station);
    return {
      published,
      publishFailures: sum(load.failed.values()),
      stored: sum(stored.values()),
      lost,
      victim: victimName,
      victimPartitions,
      victimStations: victimStations.length,
      leaseTakeoverSeconds: (leaseTakeover - killedAt) / 1000,
      stationTakeoverSeconds,
      partitionTakeoverSeconds: Object.fromEntries(
        victimPartitions.map((p) => {
          const firsts = victimStations
            .filter((s) => partitionOf.get(s) === p)
            .map((s) => (seen.get(s) ?? []).find((t) => t > servedAgain) ?? Number.POSITIVE_INFINITY);
          return [p, (Math.min(...firsts) - killedAt) / 1000];
        }),
      ),
      victimStationsSeenBefore,
      victimStationsSeenAfter,
      longestGapAfterTakeoverSeconds: longestGap / 1000,
      faults: faulted.length,
      faultsWithOneTicket: faulted.filter((s) => ticketsOf(s).length === 1 && ticketsOf(s)[0]!.n === 1)
        .length,
      duplicateTickets: sum(ticketRows.map((r) => Math.max(0, r.n - 1))),
      unexpectedTickets: sum(ticketRows.filter((r) => !faulted.includes(r.station)).map((r) => r.n)),
      ticketRows: ticketRows.filter(
        (r) => r.n > 1 || ticketsOf(r.station).length > 1 || !faulted.includes(r.station),
      ),
      cpu,
      leaseLossesLogged: servers
        .filter((s) => s !== victim)
        .map(
          (s) =>
            s.component.output().match(/partition lease (not renewed in time|taken by another)/g)?.length ??
            0,
        )
        .reduce((a, b) => a + b, 0),
      drillSeconds: (Date.now() - drillStarted) / 1000,
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
