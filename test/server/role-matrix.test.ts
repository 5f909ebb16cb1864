import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type MessageCode, type MessageParams, render } from '../../core/i18n/render.ts';
import { silentLogger } from '../../core/log.ts';
import { ROLES, type Role } from '../../server/auth/roles.ts';
import { type RunningServer, startServer } from '../../server/index.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';
import { registeredRoutes } from '../support/routes.ts';

const ANY = ROLES;
const OPEN = 'open' as const;

/**
 * Who may call what: every route of the API, with the roles allowed (ANY: every signed-in user;
 * OPEN: no sign-in needed). The test below fails when a route exists that this table lacks.
 */
const MATRIX: Record<string, readonly Role[] | typeof OPEN> = {
  'GET /api/health': OPEN,
  'POST /api/auth/login': OPEN,
  'GET /api/auth/me': ANY,
  'GET /api/openapi.json': ANY,
  'GET /metrics': ['engineer', 'admin'],
  'GET /api/stations/': ANY,
  'GET /api/stations/:id': ANY,
  'GET /api/stations/:id/history': ANY,
  'GET /api/stations/:id/history.csv': ANY,
  'GET /api/stations/:id/completeness': ANY,
  'GET /api/stations/:id/indicators': ANY,
  'POST /api/stations/:site/:station/commands': ['operator', 'engineer', 'admin'],
  'GET /api/stations/:site/:station/commands': ANY,
  'GET /api/health-scores': ANY,
  'GET /api/system': ANY,
  'GET /api/alarms': ANY,
  'GET /api/alarms/:id': ANY,
  'POST /api/alarms/:id/ack': ['operator', 'admin'],
  'GET /api/alarms/shelves': ANY,
  'POST /api/alarms/shelves': ['operator', 'admin'],
  'DELETE /api/alarms/shelves/:id': ['operator', 'admin'],
  'GET /api/tickets': ANY,
  'GET /api/tickets/:id': ANY,
  'POST /api/tickets': ['service', 'admin'],
  'POST /api/tickets/:id/transitions': ['service', 'admin'],
  'POST /api/tickets/:id/survey': ['service', 'admin'],
  'GET /api/root-causes': ANY,
  'GET /api/service/stats': ANY,
  'GET /api/reports/reliability': ANY,
  'GET /api/audit': ['admin'],
  'GET /api/assets/customers': ANY,
  'GET /api/assets/sites': ANY,
  'GET /api/assets/stations': ANY,
  'PUT /api/assets/sites/:site/thresholds': ['admin'],
  'PUT /api/assets/stations/:site/:station': ['admin'],
  'PUT /api/assets/stations/:site/:station/pumps/:pump': ['admin'],
  'GET /api/contracts': ANY,
  'PUT /api/contracts/:id': ['admin'],
  'GET /api/sla-policies': ANY,
  'PUT /api/sla-policies/:id': ['admin'],
  'GET /api/customers/:id/surveys': ANY,
  'GET /api/maintenance/calendar': ANY,
  'GET /api/maintenance/plans': ANY,
  'PUT /api/maintenance/plans/:id': ['service', 'admin'],
  'GET /api/sim/stations': ['engineer', 'admin'],
  'GET /api/sim/faults': ['engineer', 'admin'],
  'POST /api/sim/stations/:id/faults': ['engineer', 'admin'],
  'DELETE /api/sim/stations/:id/faults/:fault': ['engineer', 'admin'],
  'PUT /api/sim/speed': ['engineer', 'admin'],
};

const PARAMS: Record<string, string> = {
  id: '1',
  site: 'demo',
  station: 'st1',
  pump: '1',
  fault: 'pump_trip',
};

let broker: RunningMosquitto;
let server: RunningServer;
const tokens = {} as Record<Role, string>;
const sockets: Socket[] = [];

beforeAll(async () => {
  broker = await startMosquitto();
  server = await startServer({
    port: 0,
    mqtt: { url: broker.url },
    dataDir: ':memory:',
    logger: silentLogger(),
    // Nothing listens there: an engineer's proxied call fails upstream, but past the role check.
    simulatorControlUrl: 'http://127.0.0.1:9',
  });
  for (const role of ROLES) tokens[role] = (await server.tokens.issue({ username: `${role}-1`, role })).token;
}, 120_000);

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await server?.stop();
  await broker?.stop();
});

async function call(route: string, role: Role | undefined): Promise<number> {
  const [method, template] = route.split(' ') as [string, string];
  const path = template.replace(/:([a-z]+)/g, (_, name: string) => PARAMS[name] ?? 'x');
  const body = method === 'POST' || method === 'PUT' ? '{}' : undefined;
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(role ? { authorization: `Bearer ${tokens[role]}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

describe('role matrix', () => {
  test('the table covers every route the server has, and nothing else', () => {
    expect(registeredRoutes(server.app).sort()).toEqual(Object.keys(MATRIX).sort());
  });

  const cases = Object.entries(MATRIX).flatMap(([route, allowed]) =>
    [undefined, ...ROLES].map((role) => [route, role ?? 'anonymous', allowed] as const),
  );
  test.each(cases)('%s as %s', async (route, who, allowed) => {
    const status = await call(route, who === 'anonymous' ? undefined : (who as Role));
    if (allowed === OPEN) expect(status).not.toBe(401);
    else if (who === 'anonymous') expect(status).toBe(401);
    else if (allowed.includes(who as Role)) expect([401, 403]).not.toContain(status);
    else expect(status).toBe(403);
  });

  test.each([
    ['GET', '/api/tickets/999999', 'service', 404, 'error.noTicket', { id: 999999 }, '没有工单 999999'],
    ['GET', '/api/tickets', undefined, 401, 'error.signInFirst', {}, '请先登录'],
    [
      'POST',
      '/api/tickets',
      'operator',
      403,
      'error.roleForbidden',
      { role: 'operator' },
      '角色「operator」无权执行此操作',
    ],
    [
      'GET',
      '/api/no-such-route',
      'service',
      404,
      'error.noRoute',
      { method: 'GET', path: '/api/no-such-route' },
      '没有接口 GET /api/no-such-route',
    ],
  ] as const)(
    '%s %s as %s: the refusal carries its code, read in Chinese',
    async (method, path, role, status, code, params, chinese) => {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: role ? { authorization: `Bearer ${tokens[role]}` } : {},
      });
      const body = (await response.json()) as { error: string; code: MessageCode; params: MessageParams };
      expect(response.status).toBe(status);
      expect(body.error).toMatch(/\w/);
      expect(body).toMatchObject({ code, params });
      expect(render('zh-CN', body.code, body.params)).toBe(chinese);
    },
  );

  test('/metrics also takes the Prometheus token when one is configured, and no other', async () => {
    const scraped = await startServer({
      port: 0,
      mqtt: { url: broker.url },
      dataDir: ':memory:',
      service: false,
      logger: silentLogger(),
      metricsToken: 'prometheus-scrape-token-123',
    });
    try {
      const get = (authorization?: string) =>
        fetch(`${scraped.url}/metrics`, { headers: authorization ? { authorization } : {} });
      const ok = await get('Bearer prometheus-scrape-token-123');
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('aftercare_mqtt_messages_total');
      expect((await get('Bearer prometheus-scrape-token-124')).status).toBe(401);
      expect((await get()).status).toBe(401);
    } finally {
      await scraped.stop();
    }
  });
});

describe('socket.io: every role may watch every station; nobody without a token', () => {
  test.each(ROLES)('%s subscribes to a site and a station', async (role) => {
    const socket = connectSocket(server.url, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token: tokens[role] },
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    expect(await socket.timeout(3000).emitWithAck('subscribe', { site: 'demo' })).toEqual({
      ok: true,
      rooms: ['site:demo'],
    });
    expect(await socket.timeout(3000).emitWithAck('subscribe', { station: 'st1' })).toEqual({
      ok: true,
      rooms: ['station:*/st1'],
    });
  });
});
