import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { lastHalfYear, midnightIn } from '../../core/reports/half-year-calendar.ts';
import { type ServiceLayer, startServiceLayer } from '../../server/service-layer.ts';
import { type RoleApi, serveWithTestRoles } from '../support/role-api.ts';
import { fetchBytes, pdfText } from './pdf-text.ts';

const HOUR = 3_600_000;
const ZONE = 'Asia/Shanghai';
const dir = mkdtempSync(join(tmpdir(), 'reports-schedule-'));
// Last year's 1 July in the company's zone: the schedule crosses it on the injected clock.
const year = new Date().getUTCFullYear() - 1;
const julyFirst = midnightIn(year, 7, ZONE);
let now = julyFirst - 3 * HOUR;
let layer: ServiceLayer | undefined;
let rest: RoleApi | undefined;

async function start(): Promise<ServiceLayer> {
  await rest?.close();
  await layer?.close();
  layer = await startServiceLayer({
    dataDir: dir,
    clock: () => now,
    recordScheduleEveryMs: HOUR,
    reportTimeZone: ZONE,
  });
  rest = await serveWithTestRoles([...layer.routers]);
  return layer;
}

/** Ticks the layer every half hour up to `until` (the schedule steps once an hour of the clock). */
async function runUntil(target: ServiceLayer, until: number): Promise<void> {
  for (let guard = 0; guard < 100 && now < until; guard++) {
    now += HOUR / 2;
    await target.tick(now);
  }
}

const runs = async () => (await rest?.call('GET', '/reports/runs', 'engineer'))?.body.reports;

afterAll(async () => {
  await rest?.close();
  await layer?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the half-year report on a schedule', () => {
  test.each([
    ['30 Jun 23:59 local', julyFirst - 60_000, midnightIn(year - 1, 7, ZONE), midnightIn(year, 1, ZONE)],
    ['1 Jul 00:00 local', julyFirst, midnightIn(year, 1, ZONE), julyFirst],
    [
      '31 Dec 16:00 UTC = 1 Jan local',
      midnightIn(year + 1, 1, ZONE),
      julyFirst,
      midnightIn(year + 1, 1, ZONE),
    ],
  ])('the last half-year at %s', (_name, at, from, to) => {
    expect(lastHalfYear(at, ZONE)).toEqual({ from, to });
  });

  test('crossing 1 July stores the first half-year once, also after a restart; its PDF downloads', async () => {
    let current = await start();
    await current.tick(now);
    await runUntil(current, julyFirst - HOUR);
    const before = await runs();
    // Before 1 July only the previous half (July-December of the year before) is due.
    expect(before.map((r: { from: number }) => r.from)).toEqual([midnightIn(year - 1, 7, ZONE)]);
    await runUntil(current, julyFirst + 3 * HOUR);
    const h1 = (await runs()).filter((r: { from: number }) => r.from === midnightIn(year, 1, ZONE));
    expect(h1).toHaveLength(1);
    expect(h1[0].to).toBe(julyFirst);
    expect(h1[0].generatedAt).toBeGreaterThanOrEqual(julyFirst);
    expect(h1[0].generatedAt).toBeLessThanOrEqual(julyFirst + 2 * HOUR);
    current = await start();
    await current.tick(now);
    await runUntil(current, julyFirst + 6 * HOUR);
    expect(await runs()).toHaveLength(2);

    const stored = (await rest?.call('GET', `/reports/runs/${h1[0].id}`, 'engineer'))?.body;
    expect(stored.from).toBe(midnightIn(year, 1, ZONE));
    const pdf = await fetchBytes(rest?.base ?? '', `/reports/runs/${h1[0].id}/download?lang=en`, 'engineer');
    expect(pdf.status).toBe(200);
    expect(pdfText(pdf.bytes)).toContain(`${year}-01-01 – ${year}-06-30`);
    const csv = await rest?.call('GET', `/reports/runs/${h1[0].id}/download?format=csv`, 'service');
    expect(String(csv?.body).split('\r\n')[0]).toContain('section,key,faults');
    expect((await rest?.call('GET', '/reports/runs/999/download', 'admin'))?.status).toBe(404);
    expect((await rest?.call('GET', `/reports/runs/${h1[0].id}/download`, 'operator'))?.status).toBe(403);
  }, 120_000);
});
