import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PHOTO_LIMITS } from '../../core/api/portal.ts';
import { type AccountsServer, BOSS, startAccountsServer } from '../support/accounts-server.ts';
import { QUALITY_RECORD } from '../support/quality-record.ts';

// The customer portal over HTTP (issue 18): the request form with photos, the survey after every
// closed ticket, the result feedback task, satisfaction per customer, and the wall between customers.
const PASSWORD = 'pressure holds at 0.45 MPa';
/** The smallest real PNG: its signature and an IHDR chunk's start are what the server checks. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000000000200010c0a2db40000000049454e44ae426082',
  'hex',
);

let running: AccountsServer;
let boss: string;
let service: string;
let demo: string;
let acme: string;
const api = (...args: Parameters<AccountsServer['api']>) => running.api(...args);

async function upload(token: string, bytes: Buffer, type = 'image/png') {
  const response = await fetch(`${running.server.url}/api/portal/photos`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    body: bytes,
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read the answers field by field, as JSON.parse gives them
  return { status: response.status, body: (await response.json()) as any };
}

async function photoBytes(token: string, path: string) {
  const response = await fetch(`${running.server.url}/api${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

const request = (photos: number[] = []) => ({
  site: 'demo',
  station: 'st2',
  pump: 1,
  description: '2号泵房水压忽高忽低，1号泵有异响',
  contactName: '王经理',
  contactPhone: '139 0000 1234',
  photos,
});

beforeAll(async () => {
  running = await startAccountsServer();
  boss = await running.signIn(BOSS.username, BOSS.password);
  const assets = running.server.service!.stores.assets;
  await assets.upsertCustomer({ id: 'acme', name: 'ACME Water', address: '', phone: '' });
  await assets.upsertSite({ id: 'acme-a', customer_id: 'acme', name: 'ACME A', address: '', thresholds: {} });
  await assets.upsertStation({
    site_id: 'acme-a',
    id: 'st1',
    name: 'ACME room',
    model: '',
    serial_number: '',
  });
  for (const [username, body] of [
    ['svc', { role: 'service' }],
    ['demo-view', { role: 'customer', customer: 'demo-water' }],
    ['acme-view', { role: 'customer', customer: 'acme' }],
  ] as const) {
    const created = await api('POST', '/accounts', boss, { username, password: PASSWORD, ...body });
    expect(created.status).toBe(201);
  }
  service = await running.signIn('svc', PASSWORD);
  demo = await running.signIn('demo-view', PASSWORD);
  acme = await running.signIn('acme-view', PASSWORD);
}, 300_000);

afterAll(async () => {
  await running?.stop();
});

describe('photos: checked by their content and size', () => {
  test('a PNG is kept; text named a JPEG, an empty body and one byte over the limit are refused with codes', async () => {
    const good = await upload(demo, PNG);
    expect(good).toMatchObject({
      status: 201,
      body: { photo: { contentType: 'image/png', size: PNG.length } },
    });
    const text = await upload(demo, Buffer.from('<html>not a photo</html>'), 'image/jpeg');
    expect(text).toMatchObject({ status: 400, body: { code: 'error.photoType' } });
    expect(await upload(demo, Buffer.alloc(0))).toMatchObject({
      status: 400,
      body: { code: 'error.photoEmpty' },
    });
    const big = Buffer.alloc(PHOTO_LIMITS.maxBytes + 1, 0);
    PNG.copy(big);
    expect(await upload(demo, big)).toMatchObject({
      status: 400,
      body: { code: 'error.photoTooLarge', params: { max: 1 } },
    });
    // Beyond the server's cap on any body (1 MiB) the answer is 413 with its own code.
    expect(await upload(demo, Buffer.alloc(2 * 1024 * 1024, 0))).toMatchObject({
      status: 413,
      body: { code: 'error.bodyTooLarge' },
    });
  });
});

describe('the request form', () => {
  test('missing fields, a bad phone, an unknown or foreign photo and a station of another customer are refused', async () => {
    const missing = await api('POST', '/portal/requests', demo, { site: 'demo', station: 'st2' });
    expect(missing).toMatchObject({ status: 400, body: { code: 'error.invalidRequest' } });
    const paths = missing.body.issues.map((issue: { path: string }) => issue.path).sort();
    expect(paths).toEqual(['contactName', 'contactPhone', 'description']);
    const phone = await api('POST', '/portal/requests', demo, { ...request(), contactPhone: 'call me' });
    expect(phone).toMatchObject({ status: 400, body: { issues: [{ path: 'contactPhone' }] } });
    const unknown = await api('POST', '/portal/requests', demo, request([999_999]));
    expect(unknown).toMatchObject({
      status: 400,
      body: { code: 'error.photoUnknown', params: { id: 999_999 } },
    });
    const acmePhoto = (await upload(acme, PNG)).body.photo.id as number;
    const foreign = await api('POST', '/portal/requests', demo, request([acmePhoto]));
    expect(foreign).toMatchObject({ status: 400, body: { code: 'error.photoUnknown' } });
    const elsewhere = await api('POST', '/portal/requests', acme, request());
    expect(elsewhere).toMatchObject({ status: 404, body: { code: 'error.noStationHere' } });
  });

  test('opens a web ticket with its photos; staff and the customer see them, the other customer sees nothing', async () => {
    const photo = (await upload(demo, PNG)).body.photo.id as number;
    const filed = await api('POST', '/portal/requests', demo, request([photo]));
    expect(filed.status).toBe(201);
    const ticket = filed.body.ticket;
    expect(ticket).toMatchObject({ source: 'web', site: 'demo', station: 'st2', pump: 1, state: 'new' });
    expect(ticket.reportedBy).toBe('王经理, 139 0000 1234');
    const filedEvent = ticket.timeline.find((e: { action: string }) => e.action === 'web_request');
    expect(filedEvent).toMatchObject({ code: 'event.webRequest', params: { photos: 1, name: '王经理' } });
    // The photo is the ticket's now: it cannot be sent with a second request.
    expect((await api('POST', '/portal/requests', demo, request([photo]))).body.code).toBe(
      'error.photoUnknown',
    );

    const care = await api('GET', `/tickets/${ticket.id}/care`, service);
    expect(care.body.photos.map((p: { id: number }) => p.id)).toEqual([photo]);
    for (const token of [service, demo]) {
      const served = await photoBytes(token, `/tickets/${ticket.id}/photos/${photo}`);
      expect(served).toMatchObject({ status: 200, type: 'image/png' });
      expect(served.bytes.equals(PNG)).toBe(true);
    }
    expect((await photoBytes(acme, `/tickets/${ticket.id}/photos/${photo}`)).status).toBe(404);
    expect((await api('GET', `/tickets/${ticket.id}/care`, acme)).status).toBe(404);
    expect((await api('GET', `/tickets/${ticket.id}`, acme)).status).toBe(404);
    const acmeTickets = (await api('GET', '/tickets', acme)).body.tickets as { id: number }[];
    expect(acmeTickets.some((t) => t.id === ticket.id)).toBe(false);
    const home = (await api('GET', '/portal/home', acme)).body;
    expect(home.stations.map((s: { site: string }) => s.site)).toEqual(['acme-a']);
    const mine = (await api('GET', '/portal/home', demo)).body;
    expect(mine.customer).toEqual({ id: 'demo-water', name: 'Demo Water Supply Co.' });
    // st3 is Riverside Water Works' (site riverside): the demo customer never sees it.
    expect(mine.stations.map((s: { id: string }) => s.id)).toEqual(['st1', 'st2']);
    expect(mine.stations.every((s: { site: string }) => s.site === 'demo')).toBe(true);
  });
});

describe('survey after every closed ticket, result feedback and satisfaction per customer', () => {
  test('the survey opens when the ticket closes; feedback is due 3 days after resolution; the report counts both', async () => {
    const ticket = (await api('POST', '/portal/requests', demo, request())).body.ticket as { id: number };
    const survey = { score: 4, aspects: { timeliness: 5, quality: 4, attitude: 5 }, comment: '师傅很专业' };
    expect((await api('POST', `/portal/tickets/${ticket.id}/survey`, demo, survey)).body.code).toBe(
      'error.surveyNotClosed',
    );
    const step = (body: unknown) => api('POST', `/tickets/${ticket.id}/transitions`, service, body);
    expect((await step({ action: 'triage', mode: 'on_site', department: 'after_sales' })).status).toBe(200);
    const arrival = Date.now() + 3_600_000;
    expect((await step({ action: 'dispatch', technician: '李师傅', expectedArrival: arrival })).status).toBe(
      200,
    );
    expect((await api('GET', `/tickets/${ticket.id}`, demo)).body.ticket.dispatch).toEqual({
      technician: '李师傅',
      expectedArrival: arrival,
    });
    expect((await step({ action: 'arrive' })).status).toBe(200);
    expect(
      (
        await step({
          action: 'resolve',
          workDone: '更换机械密封',
          rootCause: 'mechanical_seal',
          ...QUALITY_RECORD,
        })
      ).status,
    ).toBe(200);
    const resolved = (await api('GET', `/tickets/${ticket.id}`, service)).body.ticket;
    const due = (await api('GET', '/result-feedback?state=open', service)).body.tasks.find(
      (task: { ticketId: number }) => task.ticketId === ticket.id,
    );
    expect(due).toMatchObject({ state: 'due', dueAt: resolved.resolvedAt + 3 * 86_400_000, site: 'demo' });
    expect((await step({ action: 'sign_off', signerName: '王经理' })).status).toBe(200);
    expect((await step({ action: 'close' })).status).toBe(200);

    expect((await api('GET', '/portal/home', demo)).body.awaitingSurvey).toContain(ticket.id);
    expect((await api('GET', `/tickets/${ticket.id}/care`, demo)).body.surveyOpen).toBe(true);
    expect((await api('POST', `/portal/tickets/${ticket.id}/survey`, acme, survey)).status).toBe(404);
    const bad = await api('POST', `/portal/tickets/${ticket.id}/survey`, demo, { ...survey, score: 6 });
    expect(bad).toMatchObject({ status: 400, body: { code: 'error.invalidRequest' } });
    const answered = await api('POST', `/portal/tickets/${ticket.id}/survey`, demo, survey);
    expect(answered).toMatchObject({ status: 201, body: { survey: { score: 4, by: 'demo-view' } } });
    expect((await api('POST', `/portal/tickets/${ticket.id}/survey`, demo, survey)).body.code).toBe(
      'error.surveyDone',
    );
    expect((await api('GET', '/portal/home', demo)).body.awaitingSurvey).not.toContain(ticket.id);

    expect((await api('POST', `/tickets/${ticket.id}/result-feedback`, demo, { note: 'x' })).status).toBe(
      403,
    );
    const given = await api('POST', `/tickets/${ticket.id}/result-feedback`, service, {
      note: '电话回访：水压稳定在 0.45 MPa',
    });
    expect(given).toMatchObject({ status: 201, body: { resultFeedback: { state: 'done', doneBy: 'svc' } } });
    expect(
      (await api('POST', `/tickets/${ticket.id}/result-feedback`, service, { note: 'again' })).body.code,
    ).toBe('error.feedbackDone');
    const care = (await api('GET', `/tickets/${ticket.id}/care`, service)).body;
    expect(care).toMatchObject({
      surveyOpen: false,
      survey: { score: 4 },
      resultFeedback: { state: 'done' },
    });

    const report = (await api('GET', '/reports/satisfaction', service)).body.rows;
    const demoRow = report.find((row: { customer: string }) => row.customer === 'demo-water');
    expect(demoRow).toMatchObject({
      name: 'Demo Water Supply Co.',
      surveys: 1,
      average: 4,
      closed: 1,
      responseRate: 1,
      aspects: { timeliness: 5, quality: 4, attitude: 5 },
    });
    expect(report.find((row: { customer: string }) => row.customer === 'acme')).toMatchObject({
      surveys: 0,
      average: null,
      closed: 0,
      responseRate: null,
    });
  });

  test.each([
    ['GET', '/reports/satisfaction'],
    ['GET', '/result-feedback'],
    ['POST', '/tickets/1/result-feedback'],
  ])('a customer may not %s %s (403)', async (method, path) => {
    const answer = await api(method, path, demo, method === 'POST' ? { note: 'x' } : undefined);
    expect(answer).toMatchObject({ status: 403, body: { code: 'error.roleForbidden' } });
  });

  test('staff may not use the customer-only routes (403)', async () => {
    expect((await api('GET', '/portal/home', service)).status).toBe(403);
    expect((await api('POST', '/portal/tickets/1/survey', service, {})).status).toBe(403);
  });
});
