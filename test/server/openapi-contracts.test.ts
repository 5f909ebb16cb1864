import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ApiContract, contracts, fillPath } from '../../core/api/index.ts';
import { ID_PATTERN } from '../../core/ids.ts';
import { silentLogger } from '../../core/log.ts';
import { connectMqtt } from '../../core/mqtt/connect.ts';
import { loadProfile } from '../../core/profile/load.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { type RunningServer, startServer } from '../../server/index.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';
import { registeredRoutes } from '../support/routes.ts';

let broker: RunningMosquitto;
let server: RunningServer;
let publisher: MqttClient;
let token: string;
const T0 = Date.now() - 60_000;

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface Call {
  params?: Record<string, string | number>;
  query?: Record<string, string>;
  body?: unknown;
}

/** A request by contract as the admin (who may call everything); the status and the parsed JSON. */
async function call(contract: ApiContract, input: Call = {}): Promise<{ status: number; body: unknown }> {
  const query = input.query ? `?${new URLSearchParams(input.query)}` : '';
  const response = await fetch(`${server.url}${fillPath(contract.path, input.params)}${query}`, {
    method: contract.method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(input.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: input.body === undefined ? undefined : JSON.stringify(input.body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text && contract.contentType === undefined ? JSON.parse(text) : text,
  };
}

beforeAll(async () => {
  broker = await startMosquitto();
  server = await startServer({
    port: 0,
    mqtt: { url: broker.url },
    dataDir: ':memory:',
    logger: silentLogger(),
    profiles: [loadProfile('profiles/booster-3p-380.yaml')],
    service: { seedDemo: true },
    // Nothing listens there: the proxy's routes exist, their answers are the simulator's.
    simulatorControlUrl: 'http://127.0.0.1:9',
  });
  token = (await server.tokens.issue({ username: 'admin-1', role: 'admin' })).token;
  publisher = connectMqtt(broker.url, { clientId: 'openapi-test-publisher' });
  await waitFor(async () => (publisher.connected && server.latest ? true : undefined), 'publisher on broker');
  await waitFor(
    async () =>
      ((await call(contracts.health)).body as { broker: { connected: boolean } }).broker.connected
        ? true
        : undefined,
    'server on broker',
  );
  for (let seq = 1; seq <= 3; seq++) {
    await publisher.publishAsync(
      topics.telemetry('demo', 'st1'),
      JSON.stringify({
        v: 1,
        site: 'demo',
        station: 'st1',
        edge: 'edge-1',
        model: 'booster-3p-380',
        seq,
        ts: T0 + seq * 1000,
        state: 'ok',
        values: {
          'pressure.outlet': { v: 4.2 + seq / 10, q: 'good' },
          'pump[1].running': { v: true, q: 'good' },
          'pump[1].bearing_vibration': { v: 2.5, q: 'good' },
        },
      }),
      { qos: 1 },
    );
  }
  await waitFor(
    async () =>
      (await call(contracts.getStation, { params: { id: 'st1' } })).status === 200 ? true : undefined,
    'st1 live',
  );
}, 120_000);

afterAll(async () => {
  await publisher?.endAsync();
  await server?.stop();
  await broker?.stop();
});

describe('/api/openapi.json', () => {
  test('documents every route the server registers, each with its roles and a response schema', async () => {
    const { status, body } = await call(contracts.openApi);
    expect(status).toBe(200);
    const document = body as {
      openapi: string;
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(document.openapi).toBe('3.1.0');
    const routes = registeredRoutes(server.app);
    expect(routes.length).toBeGreaterThan(40);
    const problems: string[] = [];
    for (const route of routes) {
      const [method, path] = route.split(' ') as [string, string];
      const documented = path.replace(/(.)\/$/, '$1').replace(/:([A-Za-z]+)/g, '{$1}');
      const operation = document.paths[documented]?.[method.toLowerCase()];
      if (!operation) {
        problems.push(`${route}: not in the document`);
        continue;
      }
      const responses = operation.responses as Record<
        string,
        { content?: Record<string, { schema?: unknown }> }
      >;
      const success = Object.entries(responses).find(([code]) => /^2\d\d$/.test(code));
      if (!success) problems.push(`${route}: no success answer`);
      else if (success[0] !== '204' && !Object.values(success[1].content ?? {})[0]?.schema)
        problems.push(`${route}: no response schema`);
      if (!/^(Roles: |Open: )/.test(String(operation.description)))
        problems.push(`${route}: roles not stated`);
      if (route !== 'GET /api/health' && route !== 'POST /api/auth/login' && !responses['401'])
        problems.push(`${route}: the 401 answer is not documented`);
    }
    expect(problems).toEqual([]);
    // Nothing documented that the server does not serve.
    expect(Object.values(document.paths).reduce((n, methods) => n + Object.keys(methods).length, 0)).toBe(
      routes.length,
    );
  });

  test('parameters, request bodies and error answers come from the contracts', async () => {
    const document = (await call(contracts.openApi)).body as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters: Array<{ name: string; in: string; required: boolean; schema: { pattern?: string } }>;
            requestBody?: { content: Record<string, { schema: { required?: string[] } }> };
            responses: Record<string, unknown>;
            description: string;
          }
        >
      >;
    };
    const history = document.paths['/api/stations/{id}/history']!.get!;
    expect(history.parameters.find((p) => p.name === 'id')).toMatchObject({
      in: 'path',
      required: true,
      schema: { pattern: ID_PATTERN.source },
    });
    expect(history.parameters.find((p) => p.name === 'tag')).toMatchObject({ in: 'query', required: true });
    expect(history.parameters.find((p) => p.name === 'step')).toMatchObject({ in: 'query', required: false });
    const shelve = document.paths['/api/alarms/shelves']!.post!;
    expect(shelve.description).toBe('Roles: operator, admin.');
    expect(shelve.requestBody!.content['application/json']!.schema.required).toEqual(
      expect.arrayContaining(['site', 'station', 'faultClass', 'minutes', 'reason']),
    );
    expect(Object.keys(shelve.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403']));
    expect(document.paths['/metrics']!.get!.responses['200']).toMatchObject({
      content: { 'text/plain; version=0.0.4; charset=utf-8': { schema: { type: 'string' } } },
    });
  });
});

describe('real answers match their contracts', () => {
  test('a drifted answer fails the schema (objects strip extra fields, but a missing or retyped one is caught)', () => {
    expect(contracts.listAlarms.response.safeParse({ alarms: [{ id: 1, site: 'demo' }] }).success).toBe(
      false,
    );
    expect(contracts.getStation.response.safeParse({ site: 'demo', station: 'st1', extra: 1 }).success).toBe(
      false,
    );
  });

  const cases: Array<[string, () => Promise<[ApiContract, Call?]>]> = [
    ['health', async () => [contracts.health]],
    ['me', async () => [contracts.me]],
    ['list stations', async () => [contracts.listStations]],
    ['station', async () => [contracts.getStation, { params: { id: 'st1' } }]],
    [
      'history',
      async () => [
        contracts.stationHistory,
        { params: { id: 'st1' }, query: { tag: 'pressure.outlet', from: String(T0) } },
      ],
    ],
    [
      'stepped history',
      async () => [
        contracts.stationHistory,
        { params: { id: 'st1' }, query: { tag: 'pressure.outlet', from: String(T0), step: '1m' } },
      ],
    ],
    [
      'completeness',
      async () => [contracts.stationCompleteness, { params: { id: 'st1' }, query: { days: '2' } }],
    ],
    [
      'shelve',
      async () => [
        contracts.shelveAlarm,
        {
          body: {
            site: 'demo',
            station: 'st1',
            faultClass: 'pump_trip',
            subject: 'pump[1]',
            minutes: 30,
            reason: 'pump swap',
          },
        },
      ],
    ],
    ['shelves', async () => [contracts.listShelves]],
    ['alarms', async () => [contracts.listAlarms, { query: { limit: '10' } }]],
    [
      'new ticket',
      async () => [
        contracts.createTicket,
        {
          body: {
            site: 'demo',
            station: 'st2',
            title: 'Noise',
            severity: 'minor',
            source: 'phone',
            reportedBy: 'Li, 138',
          },
        },
      ],
    ],
    ['tickets', async () => [contracts.listTickets]],
    ['ticket', async () => [contracts.getTicket, { params: { id: await firstTicket() } }]],
    [
      'triage',
      async () => [
        contracts.transitionTicket,
        {
          params: { id: await firstTicket() },
          body: { action: 'triage', mode: 'on_site', department: 'after_sales' },
        },
      ],
    ],
    ['root causes', async () => [contracts.listRootCauses]],
    ['customers', async () => [contracts.listCustomers]],
    ['sites', async () => [contracts.listSites]],
    ['asset stations', async () => [contracts.listAssetStations]],
    ['contracts', async () => [contracts.listContracts]],
    ['SLA policies', async () => [contracts.listSlaPolicies]],
    ['reliability', async () => [contracts.reliabilityReport, { query: { by: 'pump_model' } }]],
    ['service stats', async () => [contracts.serviceStats]],
    ['calendar', async () => [contracts.maintenanceCalendar]],
    ['plans', async () => [contracts.listPlans]],
    ['health scores', async () => [contracts.healthScores]],
    ['system', async () => [contracts.system]],
    ['metrics', async () => [contracts.metrics]],
  ];
  test.each(cases)('%s', async (_name, request) => {
    const [contract, input] = await request();
    const { status, body } = await call(contract, input);
    expect(status, JSON.stringify(body).slice(0, 300)).toBe(contract.status);
    const parsed = contract.response!.safeParse(body);
    expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(
      [],
    );
  });

  test('an error answer matches the error schema', async () => {
    const { status, body } = await call(contracts.getAlarm, { params: { id: 999_999 } });
    expect(status).toBe(404);
    const { errorSchema } = await import('../../core/api/common.ts');
    expect(errorSchema.safeParse(body).success).toBe(true);
  });
});

async function firstTicket(): Promise<number> {
  const { body } = await call(contracts.listTickets);
  const id = (body as { tickets: Array<{ id: number }> }).tickets[0]?.id;
  if (id === undefined) throw new Error('no ticket to read: the "new ticket" case runs first');
  return id;
}
