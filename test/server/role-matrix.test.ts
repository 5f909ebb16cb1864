import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { STAFF_ROLES } from '../../core/auth/roles.ts';
import { type MessageCode, type MessageParams, render } from '../../core/i18n/render.ts';
import { silentLogger } from '../../core/log.ts';
import { ROLES, type Role } from '../../server/auth/roles.ts';
import { type RunningServer, startServer } from '../../server/index.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';
import { registeredRoutes } from '../support/routes.ts';

/** Every staff role: what a contract's `signed-in` admits (not customer). */
const ANY = STAFF_ROLES;
/** Every role, customer too: a customer reads its own sites' stations, alarms and tickets. */
const EVERYONE = ROLES;
const OPEN = 'open' as const;

/**
 * Who may call what: every route of the API, with the roles allowed (ANY: every staff role;
 * EVERYONE: customers too; OPEN: no sign-in needed). The test below fails when a route exists that
 * this table lacks.
 */
const MATRIX: Record<string, readonly Role[] | typeof OPEN> = {
  'GET /api/health': OPEN,
  'POST /api/auth/login': OPEN,
  'POST /api/auth/logout': EVERYONE,
  'GET /api/auth/me': EVERYONE,
  'GET /api/accounts': ['admin'],
  'POST /api/accounts': ['admin'],
  'PUT /api/accounts/:username': ['admin'],
  'POST /api/accounts/:username/disable': ['admin'],
  'POST /api/accounts/:username/enable': ['admin'],
  'POST /api/accounts/:username/password': ['admin'],
  'GET /api/openapi.json': ANY,
  'GET /metrics': ['engineer', 'admin'],
  'GET /api/stations/': EVERYONE,
  'GET /api/stations/:id': EVERYONE,
  'GET /api/stations/:id/history': EVERYONE,
  'GET /api/stations/:id/history.csv': EVERYONE,
  'GET /api/stations/:id/completeness': EVERYONE,
  'GET /api/stations/:id/indicators': ANY,
  'POST /api/stations/:site/:station/commands': ['operator', 'engineer', 'admin'],
  'GET /api/stations/:site/:station/commands': ANY,
  'GET /api/health-scores': ANY,
  'GET /api/system': ANY,
  'GET /api/profiles': ANY,
  'GET /api/profiles/:model': ANY,
  'GET /api/alarms': EVERYONE,
  'GET /api/alarms/:id': EVERYONE,
  'POST /api/alarms/:id/ack': ['operator', 'admin'],
  'GET /api/alarms/shelves': EVERYONE,
  'POST /api/alarms/shelves': ['operator', 'admin'],
  'DELETE /api/alarms/shelves/:id': ['operator', 'admin'],
  'GET /api/tickets': EVERYONE,
  'GET /api/tickets/:id': EVERYONE,
  'POST /api/tickets': ['service', 'admin'],
  'POST /api/tickets/:id/transitions': ['service', 'admin'],
  'POST /api/tickets/:id/survey': ['service', 'admin'],
  'POST /api/tickets/:id/pause': ['service', 'admin'],
  'POST /api/tickets/:id/resume': ['service', 'admin'],
  'GET /api/sla/calendar': ANY,
  'GET /api/sla/calendar/:year': ANY,
  'PUT /api/sla/calendar/:year': ['admin'],
  'GET /api/reports/sla': ANY,
  'GET /api/portal/home': ['customer', 'admin'],
  'POST /api/portal/photos': ['customer', 'service', 'admin'],
  'POST /api/portal/requests': ['customer', 'service', 'admin'],
  'POST /api/portal/tickets/:id/survey': ['customer', 'admin'],
  'GET /api/parts': ['service', 'engineer', 'admin'],
  'PUT /api/parts/:code': ['admin'],
  'PUT /api/depots/:id': ['admin'],
  'PUT /api/depots/:id/stock': ['admin'],
  'GET /api/tickets/:id/quote': EVERYONE,
  'POST /api/tickets/:id/quote': ['service', 'admin'],
  'POST /api/portal/tickets/:id/quote/confirm': ['customer', 'admin'],
  'POST /api/tickets/:id/quote/paper-confirmation': ['service', 'admin'],
  'POST /api/tickets/:id/service-record': ['service', 'admin'],
  'GET /api/tickets/:id/service-record': EVERYONE,
  'GET /api/tickets/:id/service-record.pdf': EVERYONE,
  'GET /api/tickets/:id/care': EVERYONE,
  'GET /api/tickets/:id/photos/:photo': EVERYONE,
  'GET /api/result-feedback': ANY,
  'POST /api/tickets/:id/result-feedback': ['service', 'admin'],
  'GET /api/reports/satisfaction': ANY,
  'GET /api/root-causes': ANY,
  'GET /api/service/stats': ANY,
  'GET /api/reports/reliability': ANY,
  'GET /api/audit': ['admin'],
  'GET /api/notifications/log': ['admin'],
  'GET /api/notifications/settings': ['admin'],
  'PUT /api/notifications/settings': ['admin'],
  'GET /api/notifications/profile': ANY,
  'PUT /api/notifications/profile': ANY,
  'GET /api/notifications/profiles': ['admin'],
  'PUT /api/notifications/profiles/:username': ['admin'],
  'GET /api/notifications/on-call': ANY,
  'GET /api/notifications/dead-letters': ['admin'],
  'POST /api/notifications/dead-letters/:id/replay': ['admin'],
  'GET /api/reports/half-year': ['service', 'engineer', 'admin'],
  'GET /api/reports/runs': ['service', 'engineer', 'admin'],
  'GET /api/reports/runs/:id': ['service', 'engineer', 'admin'],
  'GET /api/reports/runs/:id/download': ['service', 'engineer', 'admin'],
  'GET /api/retention/classes': ['admin'],
  'PUT /api/retention/classes/:class': ['admin'],
  'GET /api/retention/holds': ['admin'],
  'POST /api/retention/holds': ['admin'],
  'GET /api/retention/runs': ['admin'],
  'GET /api/customers/:id/export.zip': ['engineer', 'admin'],
  'DELETE /api/retention/holds/:id': ['admin'],
  'POST /api/retention/run': ['admin'],
  'GET /api/assets/customers': ANY,
  'GET /api/assets/sites': EVERYONE,
  'GET /api/assets/stations': ANY,
  'PUT /api/assets/sites/:site/thresholds': ['admin'],
  'PUT /api/assets/stations/:site/:station': ['admin'],
  'PUT /api/assets/stations/:site/:station/pumps/:pump': ['admin'],
  'GET /api/assets/stations/:site/:station/acceptance': ANY,
  'PUT /api/assets/stations/:site/:station/acceptance': ['service', 'admin'],
  'DELETE /api/assets/stations/:site/:station': ['admin'],
  'GET /api/contracts': ANY,
  'POST /api/contracts': ['admin'],
  'PUT /api/contracts/:id': ['admin'],
  'DELETE /api/contracts/:id': ['admin'],
  'GET /api/customers': ANY,
  'POST /api/customers': ['admin'],
  'PUT /api/customers/:id': ['admin'],
  'DELETE /api/customers/:id': ['admin'],
  'GET /api/sites': ANY,
  'POST /api/sites': ['admin'],
  'PUT /api/sites/:id': ['admin'],
  'DELETE /api/sites/:id': ['admin'],
  'POST /api/fleet/import': ['admin'],
  'GET /api/fleet/export': ['admin'],
  'GET /api/sla-policies': ANY,
  'PUT /api/sla-policies/:id': ['admin'],
  'GET /api/customers/:id/surveys': ANY,
  'GET /api/maintenance/calendar': ANY,
  'GET /api/maintenance/plans': ANY,
  'PUT /api/maintenance/plans/:id': ['service', 'admin'],
  'GET /api/edges': ANY,
  'GET /api/edges/:id': ANY,
  'POST /api/edges': ['admin'],
  'PUT /api/edges/:id': ['admin'],
  'PUT /api/edges/:id/stations': ['admin'],
  'GET /api/edges/:id/config': ['admin'],
  'POST /api/edges/:id/revoke': ['admin'],
  'POST /api/edges/:id/rotate': ['admin'],
  'DELETE /api/edges/:id': ['admin'],
  'GET /api/sim/stations': ['engineer', 'admin'],
  'GET /api/sim/faults': ['engineer', 'admin'],
  'POST /api/sim/stations/:id/faults': ['engineer', 'admin'],
  'DELETE /api/sim/stations/:id/faults/:fault': ['engineer', 'admin'],
  'PUT /api/sim/speed': ['engineer', 'admin'],
  'GET /api/quality/actions': ['service', 'engineer', 'admin'],
  'GET /api/quality/actions/:id': ['service', 'engineer', 'admin'],
  'PUT /api/quality/actions/:id': ['service', 'engineer', 'admin'],
  'POST /api/quality/actions/:id/transitions': ['service', 'engineer', 'admin'],
  'GET /api/tickets/:id/quality': ANY,
  'GET /api/tickets/:id/similar-cases': ANY,
  'GET /api/cases': ANY,
  'GET /api/quality/ncrs': ['service', 'engineer', 'admin'],
  'POST /api/quality/ncrs': ['service', 'engineer', 'admin'],
  'GET /api/quality/ncrs/:id': ['service', 'engineer', 'admin'],
  'PUT /api/quality/ncrs/:id': ['service', 'engineer', 'admin'],
  'DELETE /api/quality/ncrs/:id': ['admin'],
};

const PARAMS: Record<string, string> = {
  id: '1',
  site: 'demo',
  station: 'st1',
  pump: '1',
  fault: 'pump_trip',
  username: 'nobody-here',
  year: '2026',
  photo: '1',
  class: 'tickets',
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
  for (const role of ROLES)
    tokens[role] = (
      await server.tokens.issue({
        username: `${role}-1`,
        role,
        ...(role === 'customer' ? { sites: ['demo'] } : {}),
      })
    ).token;
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

  // Text with NUL cannot be stored (PostgreSQL refuses it) and other control characters corrupt
  // logs and CSV: every route answers a 400 that names the field, whatever the route does with it.
  test.each(Object.keys(MATRIX))(
    '%s refuses a NUL byte in its input with a 400 naming the field',
    async (route) => {
      const [method, template] = route.split(' ') as [string, string];
      const path = template.replace(/:([a-z]+)/g, (_, name: string) => PARAMS[name] ?? 'x');
      const hasBody = method === 'POST' || method === 'PUT';
      const response = await fetch(`${server.url}${path}?note=a%00b`, {
        method,
        headers: {
          authorization: `Bearer ${tokens.admin}`,
          ...(hasBody ? { 'content-type': 'application/json' } : {}),
        },
        body: hasBody ? JSON.stringify({ name: 'x\u0007y' }) : undefined,
      });
      const body = (await response.json()) as {
        code?: string;
        params?: { field?: string };
        issues?: unknown;
      };
      expect(response.status).toBe(400);
      expect(body.code).toBe('error.controlCharacter');
      expect(body.params?.field).toBe('note');
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

describe('socket.io: every role may watch stations (a customer its own sites); nobody without a token', () => {
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
    // A customer (here of site demo) watches a station in its own sites' rooms only.
    expect(await socket.timeout(3000).emitWithAck('subscribe', { station: 'st1' })).toEqual({
      ok: true,
      rooms: [role === 'customer' ? 'station:demo/st1' : 'station:*/st1'],
    });
  });
});
