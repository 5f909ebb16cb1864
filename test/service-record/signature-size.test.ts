import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { strokePng } from '../support/png-image.ts';
import { type RecordServer, startRecordServer } from './support.ts';

// The service record's signature travels at the device's resolution: its route takes a JSON body of
// up to 512 kB, checks the PNG's header for its size; every other route still takes 16 kB.
let running: RecordServer;

beforeAll(async () => {
  running = await startRecordServer();
}, 300_000);

afterAll(async () => {
  await running?.stop();
});

const dataUrl = (png: Buffer) => `data:image/png;base64,${png.toString('base64')}`;
const record = (signature: string) => ({
  workDone: '更换1号泵机械密封',
  rootCause: 'mechanical_seal',
  signature,
  signerName: '王经理',
});

async function post(path: string, token: string, body: string) {
  const response = await fetch(`${running.server.url}/api${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read the answers field by field, as JSON.parse gives them
  return { status: response.status, body: (await response.json()) as any };
}

describe('the signature at full resolution', () => {
  test('a full-width pad at 2x (1440 x 360 px, well over 16 kB) is accepted and archived', async () => {
    const id = await running.onSite('inw');
    const png = strokePng(1440, 360, 0.04);
    const body = JSON.stringify(record(dataUrl(png)));
    expect(body.length).toBeGreaterThan(64 * 1024);
    expect(body.length).toBeLessThan(512 * 1024);
    const answer = await post(`/tickets/${id}/service-record`, running.tokens.tech, body);
    expect(answer.status).toBe(201);
    expect(answer.body.record).toMatchObject({ signerName: '王经理' });
    const ticket = await running.api('GET', `/tickets/${id}`, running.tokens.tech);
    expect(ticket.body.ticket.state).toBe('signed_off');
  });

  test('a body over 512 kB is a 413 error.bodyTooLarge with its figures; the server goes on serving', async () => {
    const id = await running.onSite('inw');
    const body = JSON.stringify(record(`data:image/png;base64,${'A'.repeat(600_000)}`));
    const answer = await post(`/tickets/${id}/service-record`, running.tokens.tech, body);
    expect(answer).toMatchObject({
      status: 413,
      body: { code: 'error.bodyTooLarge', params: { max: 512 * 1024, bytes: Buffer.byteLength(body) } },
    });
    expect((await running.api('GET', `/tickets/${id}`, running.tokens.tech)).body.ticket.state).toBe(
      'on_site',
    );
  });

  test('a PNG larger than 2400 x 1200 px is a 400 error.signatureTooLarge', async () => {
    const id = await running.onSite('inw');
    const answer = await running.api(
      'POST',
      `/tickets/${id}/service-record`,
      running.tokens.tech,
      record(dataUrl(strokePng(3000, 100))),
    );
    expect(answer).toMatchObject({
      status: 400,
      body: { code: 'error.signatureTooLarge', params: { width: 3000, height: 100, maxWidth: 2400 } },
    });
  });

  test('a data URL that is no PNG within its size cap is a 400 error.signatureNotPng', async () => {
    const id = await running.onSite('inw');
    const notPng = Buffer.alloc(40_000, 7);
    const answer = await running.api(
      'POST',
      `/tickets/${id}/service-record`,
      running.tokens.tech,
      record(dataUrl(notPng)),
    );
    expect(answer).toMatchObject({ status: 400, body: { code: 'error.signatureNotPng' } });
  });
});

describe('every other route still takes 16 kB of JSON', () => {
  const padded = (fields: Record<string, unknown>) =>
    JSON.stringify({ ...fields, padding: 'x'.repeat(17_000) });

  test.each([
    ['/tickets', { site: 'river-a', station: 'inw', title: '漏水' }],
    ['/accounts', { username: 'big', password: 'a long enough password here', role: 'operator' }],
    ['/quality/ncrs', { product: 'seal', batch: 'B1', problem: 'leaks', disposition: 'scrap' }],
  ])('POST %s with 17 kB: 413 error.bodyTooLarge (max 16 kB)', async (path, fields) => {
    const answer = await post(path, running.tokens.boss, padded(fields));
    expect(answer).toMatchObject({
      status: 413,
      body: { code: 'error.bodyTooLarge', params: { max: 16 * 1024 } },
    });
  });

  test('a small body still goes through', async () => {
    const answer = await running.api('POST', '/tickets', running.tokens.boss, {
      site: 'river-a',
      station: 'inw',
      title: '出口压力低',
      severity: 'general',
      source: 'phone',
      reportedBy: '王经理 139 0000 1234',
    });
    expect(answer.status).toBe(201);
  });
});
