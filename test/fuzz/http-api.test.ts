import { afterAll, beforeAll, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { loadProfile } from '../../core/profile/load.ts';
import { type RunningServer, startServer } from '../../server/index.ts';
import { DEFAULT_PROFILE } from '../../simulators/config.ts';
import { type RunningSimulator, startSimulator } from '../../simulators/index.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';
import { registeredRoutes } from '../support/routes.ts';
import { prng } from './bad-payloads.ts';

const PARAMS = [
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  'x'.repeat(300),
  '%E2%80%AE',
  '-1',
  'NaN',
  '1e999',
  "'%20OR%201=1",
  '%ZZ',
  '%F0%9F%92%A9',
  '9007199254740993',
];
const QUERIES = [
  'from=abc&to=[]&step=-1&tag=%00',
  'days=1e9&limit=-5',
  'tag=pump[1].running&from=1&to=0',
  'status[]=x&site[$ne]=1',
  'days=&site=bad%20site',
  `tag=${'a'.repeat(5000)}`,
  'from=1e999&to=-1e999&step=0',
  'page=-1&state=__proto__',
];
const BODIES: Array<{ type: string; body: string | Buffer }> = [
  { type: 'application/json', body: '{"a":' },
  { type: 'application/json', body: '[]' },
  { type: 'application/json', body: 'null' },
  { type: 'application/json', body: '"str"' },
  { type: 'application/json', body: '{}' },
  { type: 'application/json', body: '{"username":5,"password":[],"title":{},"to":null,"until":"yesterday"}' },
  { type: 'application/json', body: '{"__proto__":{"admin":true},"constructor":{"prototype":{}}}' },
  { type: 'application/json', body: '{"value":1e999,"severity":"extreme","pump":-3}' },
  { type: 'text/plain', body: 'hello' },
  { type: 'application/json', body: Buffer.alloc(2 * 1024 * 1024, 0x20) },
];

let broker: RunningMosquitto;
let simulator: RunningSimulator;
let server: RunningServer;
let token: string;
/** Every route the server has (the same enumeration as the role matrix), and one that is not. */
let routes: Array<[string, string]>;

beforeAll(async () => {
  broker = await startMosquitto();
  // A real simulator behind /api/sim/*, so a proxied request that passes validation has an answer.
  simulator = await startSimulator({
    profile: loadProfile(DEFAULT_PROFILE),
    stations: [{ id: 'st1', port: 0 }],
    controlPort: 0,
    logger: silentLogger(),
  });
  server = await startServer({
    port: 0,
    mqtt: { url: broker.url },
    dataDir: ':memory:',
    logger: silentLogger(),
    simulatorControlUrl: simulator.controlUrl,
  });
  token = (await server.tokens.issue({ username: 'admin', role: 'admin' })).token;
  routes = [
    ...registeredRoutes(server.app).map((route) => route.split(' ') as [string, string]),
    ['GET', '/api/no-such-route'],
  ];
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await simulator?.stop();
  await broker?.stop();
});

test('generated invalid requests against every route: a 4xx with a message, never a 5xx', async () => {
  const random = prng(9);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const failures: string[] = [];
  let sent = 0;
  const statuses: Record<number, number> = {};
  for (const [method, template] of routes) {
    for (let i = 0; i < 12; i++) {
      const path = template.replace(/:[a-z]+/g, () => pick(PARAMS));
      const query = i % 3 === 0 ? '' : `?${pick(QUERIES)}`;
      const body = method === 'GET' || method === 'DELETE' ? undefined : BODIES[i % BODIES.length]!;
      const response = await fetch(`${server.url}${path}${query}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': body.type } : {}),
        },
        body: body?.body,
      });
      sent += 1;
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      const text = await response.text();
      const what = `${method} ${path}${query.slice(0, 60)} ${body ? String(body.body).slice(0, 30) : ''}`;
      if (template.includes(':') && response.status < 400)
        failures.push(`${response.status} for an invalid id: ${what}: ${text.slice(0, 120)}`);
      if (response.status >= 500) failures.push(`${response.status} ${what}: ${text.slice(0, 120)}`);
      else if (response.status >= 400 && !/"error":"[^"]{5,}/.test(text))
        failures.push(`${response.status} without a message: ${what}: ${text.slice(0, 120)}`);
    }
  }
  expect(failures).toEqual([]);
  expect(routes.length).toBeGreaterThan(40);
  expect(sent).toBe(routes.length * 12);
  // Every id above is invalid, so those are refused; list routes rightly ignore stray query fields.
  const refused = Object.entries(statuses)
    .filter(([status]) => Number(status) >= 400)
    .reduce((sum, [, n]) => sum + n, 0);
  expect(refused / sent, JSON.stringify(statuses)).toBeGreaterThan(0.5);
  // Still serving after all of it.
  expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
}, 120_000);
