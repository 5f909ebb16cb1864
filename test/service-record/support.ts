import { silentLogger } from '../../core/log.ts';
import { hashSecret } from '../../core/secrets.ts';
import { type RunningServer, startServer } from '../../server/index.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';
import { type SmtpReceiver, startSmtpReceiver } from '../support/smtp-receiver.ts';

/** Accounts of the service-record tests (password for all). */
export const PASSWORD = 'outlet holds 0.45 MPa all night';
export const SALES = 'sales@aftercare.test';
export const CONTACT = 'wang@river-water.test';
const DAY = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export interface RecordServer {
  server: RunningServer;
  broker: RunningMosquitto;
  smtp: SmtpReceiver;
  tokens: Record<'boss' | 'tech' | 'river' | 'lake', string>;
  // biome-ignore lint/suspicious/noExplicitAny: tests read the answers field by field, as JSON.parse gives them
  api(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** A ticket at `station` of river-a, walked to on_site (technician 张工 arrived). */
  onSite(station: string): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A real server (PGlite in memory, real broker, real SMTP receiver) with customer river (stations
 * `inw` in warranty and `outw` out of it, dated from today) and customer lake; a depot with parts.
 */
export async function startRecordServer(): Promise<RecordServer> {
  const smtp = await startSmtpReceiver();
  const broker = await startMosquitto();
  const server = await startServer({
    port: 0,
    mqtt: { url: broker.url },
    dataDir: ':memory:',
    logger: silentLogger(),
    service: {
      seedDemo: true,
      notifySettings: {
        smtp: { host: '127.0.0.1', port: smtp.port, from: 'Aftercare <service@aftercare.test>' },
        customers: { enabled: true, language: 'zh-CN', salesEmail: SALES },
      },
    },
    accounts: [{ username: 'boss', passwordHash: await hashSecret(PASSWORD), role: 'admin' }],
  });
  const api: RecordServer['api'] = async (method, path, token, body) => {
    const response = await fetch(`${server.url}/api${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  const signIn = async (username: string) => {
    const response = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    });
    return ((await response.json()) as { token: string }).token;
  };
  const assets = server.service?.stores.assets;
  if (!assets) throw new Error('no service layer');
  const now = Date.now();
  for (const [id, name, email] of [
    ['river', '河畔水务', CONTACT],
    ['lake', '湖滨物业', 'li@lake.test'],
  ] as const) {
    await assets.upsertCustomer({
      id,
      name,
      address: '',
      phone: '',
      contacts: JSON.stringify([{ name: '王经理', email }]),
    });
    await assets.upsertSite({
      id: `${id}-a`,
      customer_id: id,
      name: `${name}一期`,
      address: '',
      thresholds: {},
    });
  }
  for (const [id, name, warrantyEnd] of [
    ['inw', '1号泵房', day(now + 365 * DAY)],
    ['outw', '2号泵房', day(now - 30 * DAY)],
  ] as const)
    await assets.upsertStation({
      site_id: 'river-a',
      id,
      name,
      model: 'BWS-3',
      serial_number: `SN-${id}`,
      warranty_end: warrantyEnd,
      acceptance_date: day(now - 3 * 365 * DAY),
    });
  await assets.upsertStation({
    site_id: 'lake-a',
    id: 'st1',
    name: '湖滨泵房',
    model: '',
    serial_number: '',
  });
  const boss = await signIn('boss');
  for (const [username, body] of [
    ['tech', { role: 'service' }],
    ['river', { role: 'customer', customer: 'river' }],
    ['lake', { role: 'customer', customer: 'lake' }],
  ] as const)
    await api('POST', '/accounts', boss, { username, password: PASSWORD, ...body });
  const tokens = {
    boss,
    tech: await signIn('tech'),
    river: await signIn('river'),
    lake: await signIn('lake'),
  };
  await api('PUT', '/depots/north', boss, { name: '北区备件库' });
  await api('PUT', '/parts/SEAL-25', boss, {
    nameZh: '机械密封 25mm',
    nameEn: 'Mechanical seal 25 mm',
    unitCostCents: 12_000,
    warrantyMonths: 12,
  });
  await api('PUT', '/depots/north/stock', boss, { part: 'SEAL-25', quantity: 5 });
  return {
    server,
    broker,
    smtp,
    tokens,
    api,
    async onSite(station) {
      const created = await api('POST', '/tickets', boss, {
        site: 'river-a',
        station,
        title: '1号泵机封漏水',
        severity: 'general',
        source: 'phone',
        reportedBy: '王经理 139 0000 1234',
      });
      const id = created.body.ticket.id as number;
      const steps = [
        { action: 'triage', mode: 'on_site', department: 'after_sales' },
        { action: 'dispatch', technician: '张工', expectedArrival: Date.now() + 3_600_000 },
        { action: 'arrive' },
      ];
      for (const step of steps) {
        const moved = await api('POST', `/tickets/${id}/transitions`, boss, step);
        if (moved.status !== 200) throw new Error(`${step.action}: ${JSON.stringify(moved.body)}`);
      }
      return id;
    },
    async stop() {
      await server.stop();
      await broker.stop();
      await smtp.stop();
    },
  };
}
