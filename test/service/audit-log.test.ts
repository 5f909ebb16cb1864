import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ServiceLayer, startServiceLayer } from '../../server/service-layer.ts';
import { type RoleApi, serveWithTestRoles } from '../support/role-api.ts';

let now = Date.parse('2026-03-02T08:00:00Z');
let layer: ServiceLayer;
let rest: RoleApi;

beforeAll(async () => {
  layer = await startServiceLayer({ dataDir: ':memory:', clock: () => now, seedDemo: true });
  rest = await serveWithTestRoles([...layer.routers]);
});

afterAll(async () => {
  await rest?.close();
  await layer?.close();
});

describe('audit log', () => {
  test('an admin change is recorded with who, when, what and result, newest first', async () => {
    const contract = {
      customerId: 'demo-customer',
      name: 'Care plan',
      slaPolicyId: 'standard',
      startsOn: '2026-01-01',
    };
    const customers = await rest.call('GET', '/assets/customers', 'admin');
    contract.customerId = customers.body.customers[0].id;
    const policies = await rest.call('GET', '/sla-policies', 'admin');
    contract.slaPolicyId = policies.body.policies[0].id;
    expect((await rest.call('PUT', '/contracts/c-audit', 'admin', contract)).status).toBe(200);
    now += 60_000;
    const station = await rest.call('PUT', '/assets/stations/demo/st9', 'admin', { name: 'North booster' });
    expect(station.status).toBe(200);

    const all = await rest.call('GET', '/audit', 'admin');
    expect(all.status).toBe(200);
    expect(all.body.entries.map((e: { action: string }) => e.action)).toEqual([
      'station.put',
      'contract.put',
    ]);
    expect(all.body.entries[1]).toMatchObject({
      actor: 'admin',
      actorRole: 'admin',
      target: 'contract/c-audit',
      result: 'ok',
      at: now - 60_000,
      detail: { name: 'Care plan' },
    });
  });

  test('filters by action and target prefix, taking % and _ literally', async () => {
    const byAction = await rest.call('GET', '/audit?action=contract.', 'admin');
    expect(byAction.body.entries.map((e: { target: string }) => e.target)).toEqual(['contract/c-audit']);
    const byTarget = await rest.call('GET', '/audit?target=station/demo/', 'admin');
    expect(byTarget.body.entries).toHaveLength(1);
    expect((await rest.call('GET', '/audit?target=%25', 'admin')).body.entries).toEqual([]);
    expect((await rest.call('GET', `/audit?since=${now + 1}`, 'admin')).body.entries).toEqual([]);
  });

  test('only an admin reads it, and a bad query is a 400 naming the field', async () => {
    expect((await rest.call('GET', '/audit', 'operator')).status).toBe(403);
    const bad = await rest.call('GET', '/audit?limit=0', 'admin');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.issues)).toContain('limit');
  });
});
