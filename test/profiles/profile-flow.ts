import { readFileSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { type Logger, silentLogger } from '../../core/log.ts';
import { parseProfile } from '../../core/profile/load.ts';
import type { Profile } from '../../core/profile/schema.ts';
import { parseEdgeConfig, type RunningEdge, startEdge } from '../../edge/index.ts';
import type { Account } from '../../server/auth/accounts.ts';
import { type RunningServer, startServer } from '../../server/index.ts';
import { type RunningSimulator, startSimulator } from '../../simulators/index.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';

/** A value as `GET /api/stations/:station` shows it. */
export interface ApiValue {
  v: number | boolean | null;
  q: string;
  unit?: string;
  ts: number;
}

/**
 * One vendor profile end to end on real servers: the simulator serves it over Modbus TCP, the edge
 * polls it and publishes to mosquitto, the server ingests it and answers on its HTTP API.
 */
export interface ProfileFlow {
  sim: RunningSimulator;
  server: RunningServer;
  site: string;
  station: string;
  /** GET from the server's API as an engineer; throws on a status other than 200. */
  get<T>(path: string): Promise<T>;
  /** The station's latest values from the server's API. */
  values(): Promise<Record<string, ApiValue>>;
  /** Polls the API until `accept` returns something for the station's values. */
  until<T>(
    what: string,
    accept: (values: Record<string, ApiValue>) => T | undefined,
    timeoutMs?: number,
  ): Promise<T>;
  stop(): Promise<void>;
}

const SITE = 'vendor-site';
const STATION = 'drive1';

/**
 * The profile file as written, with "not available" raw values added to one tag. The vendors' manuals
 * name no such code for their drives, so a test that needs one adds it here instead of in the file.
 */
export function profileWithNotAvailable(file: string, tagName: string, raws: number[]): Profile {
  const data = parseYaml(readFileSync(file, 'utf8')) as { tags: Array<Record<string, unknown>> };
  const tag = data.tags.find((t) => t.name === tagName);
  if (!tag) throw new Error(`${file}: no tag "${tagName}"`);
  tag.notAvailable = raws;
  return parseProfile(data, `${file} (with notAvailable on ${tagName})`);
}

export interface ProfileFlowOptions {
  /** Alarms and tickets (the service layer, on in-memory PGlite). Default off: a faster start. */
  service?: boolean;
  /** The profile file or directory the server watches for changes. Default none. */
  profilesPath?: string;
  /** The edge's frozen detection: identical reads before a value is `frozen` (by reads only). Default the edge's (30 reads and 60 s). */
  frozenAfter?: number;
  /** The server's logger. Default silent. */
  logger?: Logger;
  /** Dashboards to serve, and who may sign in to them. Default none. */
  staticDir?: string;
  accounts?: Account[];
}

/** Starts a flow before the file's tests and stops it after; the getter gives the running one. */
export function useProfileFlow(profile: Profile, options: ProfileFlowOptions = {}): () => ProfileFlow {
  let flow: ProfileFlow | undefined;
  beforeAll(async () => {
    flow = await startProfileFlow(profile, options);
  }, 60_000);
  afterAll(async () => {
    await flow?.stop();
  });
  return () => {
    if (!flow) throw new Error('the profile flow did not start');
    return flow;
  };
}

export async function startProfileFlow(
  profile: Profile,
  options: ProfileFlowOptions = {},
): Promise<ProfileFlow> {
  const started: Array<{ stop(): Promise<void> }> = [];
  const stop = async () => {
    for (const part of started.reverse()) await part.stop();
  };
  try {
    const broker: RunningMosquitto = await startMosquitto();
    started.push(broker);
    // Ingest and the station API need no ticket or alarm database unless asked: a faster start.
    const serverStarting = startServer({
      port: 0,
      mqtt: { url: broker.url },
      dataDir: ':memory:',
      logger: options.logger ?? silentLogger(),
      profiles: [profile],
      ...(options.profilesPath ? { profilesPath: options.profilesPath } : {}),
      ...(options.staticDir ? { staticDir: options.staticDir } : {}),
      ...(options.accounts ? { accounts: options.accounts } : {}),
      service: options.service ? { edgeStartGraceMs: 0 } : false,
    });
    const sim = await startSimulator({
      profile,
      stations: [{ id: STATION, port: 0 }],
      controlPort: 0,
      seed: 11,
      speed: 1,
      logger: silentLogger(),
    }).catch(async (error) => {
      await (await serverStarting).stop();
      throw error;
    });
    started.push(sim);
    const server: RunningServer = await serverStarting;
    started.push(server);
    const edge: RunningEdge = await startEdge(
      parseEdgeConfig({
        edgeId: 'edge-vendors',
        site: SITE,
        mqtt: { url: broker.url },
        pollClasses: { fast: 300, slow: 1000 },
        modbus: { timeoutMs: 300, retries: 1, backoffMs: 50, maxBackoffMs: 1000 },
        ...(options.frozenAfter ? { quality: { frozenAfter: options.frozenAfter, frozenAfterMs: 0 } } : {}),
        stations: [
          {
            id: STATION,
            profile,
            tcp: { host: sim.host, port: sim.ports[STATION], unitId: sim.unitIds[STATION] },
          },
        ],
      }),
      { waitForBrokerMs: 5000 },
    );
    started.push(edge);
    const { token } = await server.tokens.issue({ username: 'eng', role: 'engineer' });
    const get = async <T>(path: string): Promise<T> => {
      const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (response.status !== 200)
        throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    };
    const values = async (): Promise<Record<string, ApiValue>> => {
      const response = await fetch(`${server.url}/api/stations/${STATION}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.status === 404) return {};
      if (!response.ok) throw new Error(`GET /api/stations/${STATION}: ${response.status}`);
      return ((await response.json()) as { values: Record<string, ApiValue> }).values;
    };
    const until = async <T>(
      what: string,
      accept: (values: Record<string, ApiValue>) => T | undefined,
      timeoutMs = 10_000,
    ): Promise<T> => {
      const deadline = Date.now() + timeoutMs;
      let last: Record<string, ApiValue> = {};
      while (Date.now() < deadline) {
        last = await values();
        const found = accept(last);
        if (found !== undefined) return found;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last values ${JSON.stringify(last)}`,
      );
    };
    return { sim, server, site: SITE, station: STATION, get, values, until, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
