import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { strokePng } from '../support/png-image.ts';
import { CONTACT, type RecordServer, SALES, startRecordServer } from './support.ts';

// Parts, charges, quotes and the service record over HTTP (issue 19): three charge cases, the
// customer's fee confirmation in the portal, stock that never goes below zero, the PDF archived,
// mailed (real SMTP server) and readable only by the ticket's own customer.
let running: RecordServer;
const dir = mkdtempSync(join(tmpdir(), 'svcrec-api-'));
const signature = `data:image/png;base64,${strokePng().toString('base64')}`;

beforeAll(async () => {
  running = await startRecordServer();
}, 300_000);

afterAll(async () => {
  await running?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const quote = (id: number, rootCause: string) =>
  running.api('POST', `/tickets/${id}/quote`, running.tokens.tech, {
    rootCause,
    parts: [{ part: 'SEAL-25', quantity: 1 }],
  });

async function pdfOf(id: number, token: string) {
  const response = await fetch(`${running.server.url}/api/tickets/${id}/service-record.pdf`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

describe('charges', () => {
  test('in warranty, a quality fault: the seal is free', async () => {
    const id = await running.onSite('inw');
    const answer = await quote(id, 'mechanical_seal');
    expect(answer.status).toBe(201);
    expect(answer.body.quote.charge).toMatchObject({ totalCents: 0, inWarranty: true });
    expect(answer.body.quote.charge.lines).toEqual([
      expect.objectContaining({ part: 'SEAL-25', amountCents: 0, charged: false, reason: 'inWarranty' }),
    ]);
  });

  test('out of warranty: the seal at cost', async () => {
    const id = await running.onSite('outw');
    const answer = await quote(id, 'mechanical_seal');
    expect(answer.body.quote.charge).toMatchObject({ totalCents: 12_000, inWarranty: false });
    expect(answer.body.quote.charge.lines[0]).toMatchObject({ charged: true, reason: 'outOfWarranty' });
  });

  test('damage caused by the customer is charged inside warranty; paper confirmation records the signer', async () => {
    const id = await running.onSite('inw');
    const answer = await quote(id, 'customer_damage');
    expect(answer.body.quote.charge).toMatchObject({ totalCents: 12_000, inWarranty: true });
    expect(answer.body.quote.charge.lines[0].reason).toBe('customerCaused');
    const paper = await running.api('POST', `/tickets/${id}/quote/paper-confirmation`, running.tokens.tech, {
      signerName: '王经理',
    });
    expect(paper.status).toBe(200);
    expect(paper.body.quote).toMatchObject({
      confirmation: 'paper',
      signerName: '王经理',
      confirmedBy: 'tech',
    });
  });

  test('an unknown part is a 404 with its code', async () => {
    const id = await running.onSite('inw');
    const answer = await running.api('POST', `/tickets/${id}/quote`, running.tokens.tech, {
      rootCause: 'bearing_wear',
      parts: [{ part: 'NOPE-1', quantity: 1 }],
    });
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ code: 'error.noPart', params: { part: 'NOPE-1' } });
  });
});

describe('the quote confirmed by the customer and the service record', () => {
  let id: number;

  test('the customer confirms the fee in the portal: who and when; once only; another customer cannot', async () => {
    id = await running.onSite('outw');
    await quote(id, 'mechanical_seal');
    const seen = await running.api('GET', `/tickets/${id}/quote`, running.tokens.river);
    expect(seen.body.quote.charge.totalCents).toBe(12_000);
    expect(seen.body.quote.confirmedAt).toBeNull();
    const stranger = await running.api('POST', `/portal/tickets/${id}/quote/confirm`, running.tokens.lake, {
      signerName: '李四',
    });
    expect(stranger.status).toBe(404);
    const before = Date.now();
    const confirmed = await running.api('POST', `/portal/tickets/${id}/quote/confirm`, running.tokens.river, {
      signerName: '王经理',
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.quote).toMatchObject({
      confirmation: 'portal',
      confirmedBy: 'river',
      signerName: '王经理',
    });
    expect(confirmed.body.quote.confirmedAt).toBeGreaterThanOrEqual(before);
    const again = await running.api('POST', `/portal/tickets/${id}/quote/confirm`, running.tokens.river, {
      signerName: '王经理',
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('error.quoteConfirmed');
  });

  test('more parts than the depot holds: 409 error.stockShort, nothing taken', async () => {
    const answer = await running.api('POST', `/tickets/${id}/service-record`, running.tokens.tech, {
      workDone: '更换机械密封',
      rootCause: 'mechanical_seal',
      parts: [{ part: 'SEAL-25', quantity: 9, depot: 'north' }],
      signature,
      signerName: '王经理',
    });
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ code: 'error.stockShort', params: { held: 5, asked: 9 } });
    const parts = await running.api('GET', '/parts', running.tokens.tech);
    expect(parts.body.parts[0].stock).toEqual({ north: 5 });
  });

  test('a signature that is no PNG is a 400 with its code', async () => {
    const answer = await running.api('POST', `/tickets/${id}/service-record`, running.tokens.tech, {
      workDone: '更换机械密封',
      rootCause: 'mechanical_seal',
      signature: `data:image/png;base64,${Buffer.from('GIF89a-not-a-png').toString('base64')}`,
      signerName: '王经理',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('error.signatureNotPng');
  });

  test('submitted: ticket signed off, stock taken, PDF archived and mailed to the customer and sales', async () => {
    const answer = await running.api('POST', `/tickets/${id}/service-record`, running.tokens.tech, {
      language: 'zh-CN',
      workDone: '更换1号泵机械密封，试运行 30 分钟无渗漏',
      rootCause: 'mechanical_seal',
      parts: [{ part: 'SEAL-25', quantity: 1, depot: 'north' }],
      readings: [{ key: '出口压力 MPa', before: '0.28', after: '0.45' }],
      signature,
      signerName: '王经理',
    });
    expect(answer.status).toBe(201);
    expect(answer.body.record).toMatchObject({ technician: '张工', signerName: '王经理' });
    expect(answer.body.record.charge.totalCents).toBe(12_000);
    expect(answer.body.record.mailedTo.sort()).toEqual([SALES, CONTACT].sort());
    const ticket = await running.api('GET', `/tickets/${id}`, running.tokens.tech);
    expect(ticket.body.ticket).toMatchObject({
      state: 'signed_off',
      resolution: { workDone: '更换1号泵机械密封，试运行 30 分钟无渗漏', rootCause: 'mechanical_seal' },
      signOff: { signerName: '王经理' },
    });
    const parts = await running.api('GET', '/parts', running.tokens.tech);
    expect(parts.body.parts[0].stock).toEqual({ north: 4 });

    const pdf = await pdfOf(id, running.tokens.river);
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe('application/pdf');
    const file = join(dir, 'record.pdf');
    writeFileSync(file, pdf.bytes);
    const text = execFileSync('pdftotext', [file, '-']).toString();
    for (const words of [
      '售后服务单',
      '河畔水务',
      '2号泵房',
      '张工',
      '机械密封 25mm',
      '120.00',
      '保修期外，按成本价收费',
      '出口压力 MPa',
      '0.45',
      '机械密封泄漏',
      '王经理',
      '客户门户确认',
    ])
      expect(text).toContain(words);

    const subject = `工单 #${id} 售后服务单`;
    const records = () => running.smtp.mails.filter((m) => m.subject === subject);
    for (let tries = 0; records().length < 2 && tries < 200; tries++)
      await new Promise((r) => setTimeout(r, 50));
    for (const address of [CONTACT, SALES]) {
      const mail = records().find((m) => m.to.includes(address));
      expect(mail?.text).toContain('王经理');
      expect(mail?.attachments).toEqual([
        expect.objectContaining({
          filename: `service-record-${id}.pdf`,
          contentType: 'application/pdf',
          size: pdf.bytes.length,
        }),
      ]);
    }
  });

  test('the PDF: another customer gets 404, staff 200; a second record is refused', async () => {
    expect((await pdfOf(id, running.tokens.lake)).status).toBe(404);
    expect((await pdfOf(id, running.tokens.boss)).status).toBe(200);
    const record = await running.api('GET', `/tickets/${id}/service-record`, running.tokens.lake);
    expect(record.status).toBe(404);
    const again = await running.api('POST', `/tickets/${id}/service-record`, running.tokens.tech, {
      workDone: 'x',
      rootCause: 'mechanical_seal',
      signature,
      signerName: '王经理',
    });
    expect(again.status).toBe(409);
  });

  test('a part fitted before keeps its own warranty on the next repair out of warranty', async () => {
    const next = await running.onSite('outw');
    const answer = await quote(next, 'mechanical_seal');
    expect(answer.body.quote.charge.lines[0]).toMatchObject({ reason: 'partWarranty', amountCents: 0 });
  });
});
