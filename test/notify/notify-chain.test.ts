import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Telemetry, TelemetryValue } from '../../core/telemetry/payloads.ts';
import { type ServiceLayer, startServiceLayer } from '../../server/service-layer.ts';
import { good, stationTelemetry } from '../service/station-telemetry.ts';
import { type Receiver, startWecomReceiver, type WecomMessage } from '../support/notify-receivers.ts';
import { type RoleApi, serveWithTestRoles } from '../support/role-api.ts';
import { type SmtpReceiver, startSmtpReceiver } from '../support/smtp-receiver.ts';

// The simulated clock starts at the last full minute: no test depends on the calendar.
let now = Math.floor(Date.now() / 60_000) * 60_000;
const seq: Record<string, number> = {};
let layer: ServiceLayer;
let smtp: SmtpReceiver;
let wecom: Receiver<WecomMessage>;
let rest: RoleApi;

const tripped = { 'pump[1].fault': good(true), 'pump[1].running': good(false) };
const everyDay = (username: string) =>
  [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, from: '00:00', to: '00:00', username }));

async function send(
  station: string,
  values: Record<string, TelemetryValue>,
  advanceMs = 1000,
): Promise<void> {
  seq[station] = (seq[station] ?? 0) + 1;
  const message: Telemetry = stationTelemetry(station, seq[station] ?? 0, now, values);
  await layer.onTelemetry(message, now);
  now += advanceMs;
}

/**
 * Moves the simulated clock on minute by minute, the service ticking; `station` stays tripped and
 * the others report as before (a silent station would raise comms lost, another fault).
 */
async function minutesPass(station: string, minutes: number): Promise<void> {
  for (let i = 0; i < minutes; i++) {
    now += 60_000 - 1000;
    await send(station, tripped, 0);
    for (const other of Object.keys(seq).filter((s) => s !== station)) await send(other, tripped, 0);
    now += 1000;
    await layer.tick(now);
    await layer.notify.idle();
  }
}

const mailsTo = (address: string) => smtp.mails.filter((m) => m.to.includes(address));

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  wecom = await startWecomReceiver('robot-key-1');
  layer = await startServiceLayer({
    dataDir: ':memory:',
    clock: () => now,
    seedDemo: true,
    notifySettings: {
      smtp: { host: '127.0.0.1', port: smtp.port, from: 'Aftercare <alerts@aftercare.test>' },
      robots: [{ id: 'ops', kind: 'wecom', name: '运维群', url: `${wecom.url}?key=robot-key-1` }],
      teams: [{ id: 'north', name: '北区', supervisor: 'sup', manager: 'boss', rota: everyDay('tech') }],
      chains: {
        minor: { steps: [] },
        general: {
          steps: [
            { to: 'on_call', afterMinutes: 0 },
            { to: 'supervisor', afterMinutes: 15 },
            { to: 'manager', afterMinutes: 30 },
            { to: 'manager', trigger: 'sla_at_risk' },
          ],
        },
        major: { steps: [{ to: 'on_call', afterMinutes: 0 }] },
      },
    },
  });
  rest = await serveWithTestRoles([...layer.routers]);
  for (const [username, profile] of [
    ['tech', { email: 'tech@aftercare.test', phone: '13800000001', robot: 'ops', language: 'zh-CN' }],
    ['sup', { email: 'sup@aftercare.test', language: 'en' }],
    ['boss', { email: 'boss@aftercare.test', language: 'zh-CN' }],
  ] as const) {
    const answer = await rest.call('PUT', `/notifications/profiles/${username}`, 'admin', profile);
    expect(answer.status).toBe(200);
  }
}, 60_000);

afterAll(async () => {
  await rest?.close();
  await layer?.close();
  await wecom?.close();
  await smtp?.stop();
});

describe('escalation chain end to end (simulated clock, real SMTP server, WeCom receiver)', () => {
  test('a pump trip reaches the on-call technician by e-mail and WeCom within 5 s', async () => {
    const started = Date.now();
    await send('st1', {});
    await send('st1', tripped);
    await layer.notify.idle();
    await smtp.waitFor(1, 5000);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(5000);
    const [mail] = mailsTo('tech@aftercare.test');
    expect(mail?.subject).toContain('水泵跳闸');
    expect(mail?.subject).toContain('一般告警');
    expect(mail?.text).toContain('1号泵');
    expect(wecom.refused).toEqual([]);
    expect(wecom.received).toHaveLength(1);
    expect(wecom.received[0]?.msgtype).toBe('text');
    expect(wecom.received[0]?.text?.mentioned_mobile_list).toEqual(['13800000001']);
    expect(wecom.received[0]?.text?.content).toContain('水泵跳闸');
    expect(mailsTo('sup@aftercare.test')).toEqual([]);
  });

  test('unacknowledged, the supervisor hears after the configured 15 minutes, not before', async () => {
    await minutesPass('st1', 14);
    expect(mailsTo('sup@aftercare.test')).toEqual([]);
    await minutesPass('st1', 1);
    await smtp.waitFor(2);
    const [mail] = mailsTo('sup@aftercare.test');
    expect(mail?.subject).toMatch(/^\[Escalated\] .*Pump trip.* 15 min/i);
    expect(mailsTo('tech@aftercare.test')).toHaveLength(1);
  });

  test('an acknowledgement stops the chain: the manager step never comes', async () => {
    const [alarm] = (await rest.call('GET', '/alarms?station=st1', 'operator')).body.alarms;
    const ack = await rest.call('POST', `/alarms/${alarm.id}/ack`, 'operator', { note: 'on it' });
    expect(ack.status).toBe(200);
    await layer.notify.idle();
    await minutesPass('st1', 20);
    expect(mailsTo('boss@aftercare.test')).toEqual([]);
    const log = (await rest.call('GET', '/notifications/log?limit=100', 'admin')).body.entries;
    expect(log.every((e: { recipient: string }) => e.recipient !== 'user:boss')).toBe(true);
    expect(log.filter((e: { status: string }) => e.status === 'sent')).toHaveLength(3);
  });

  test('50 flaps of the same alarm send one message per step', async () => {
    const mailsBefore = smtp.mails.length;
    const robotBefore = wecom.received.length;
    await send('st2', {});
    for (let flap = 0; flap < 50; flap++) {
      await send('st2', tripped);
      await send('st2', {}, 2500); // the 2 s off-delay runs out on the next reading
      await send('st2', {});
    }
    await layer.notify.idle();
    const alarms = await layer.stores.alarms.list({ station: 'st2' });
    expect(alarms.map((a) => [a.fault_class, a.occurrences])).toEqual([['pump_trip', 50]]);
    await smtp.waitFor(mailsBefore + 1);
    expect(smtp.mails.length - mailsBefore).toBe(1);
    expect(wecom.received.length - robotBefore).toBe(1);
    // Still unacknowledged 15 minutes after the first trip: one message for the supervisor step.
    await minutesPass('st2', 15);
    await smtp.waitFor(mailsBefore + 2);
    expect(smtp.mails.length - mailsBefore).toBe(2);
    expect(mailsTo('sup@aftercare.test')).toHaveLength(2);
  });
  test("an SLA deadline near tells the team's manager once, in the manager's language", async () => {
    const [row] = await layer.stores.tickets.list({ station: 'st1' });
    if (!row) throw new Error('the trip opened no ticket');
    const ticket = { id: row.id, state: row.state, site: row.site, station: row.station };
    const bossMails = mailsTo('boss@aftercare.test').length;
    const mailsBefore = smtp.mails.length;
    const escalation = { clock: 'fix', level: 'at_risk' as const, at: now };
    for (let i = 0; i < 3; i++)
      layer.events.emit('ticket', {
        change: 'escalation',
        ticket: { ...ticket, state: ticket.state },
        escalation,
      });
    await layer.notify.idle();
    await smtp.waitFor(mailsBefore + 1);
    const mails = mailsTo('boss@aftercare.test').slice(bossMails);
    expect(mails.map((m) => m.subject)).toEqual([`【SLA 预警】工单 #${ticket.id} 修复时限将到`]);
  });
});
