import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatTime } from '../../core/notify/messages.ts';
import type { TelemetryValue } from '../../core/telemetry/payloads.ts';
import { type ServiceLayer, startServiceLayer } from '../../server/service-layer.ts';
import { good, stationTelemetry } from '../service/station-telemetry.ts';
import { type RoleApi, serveWithTestRoles } from '../support/role-api.ts';
import { type SmtpReceiver, startSmtpReceiver } from '../support/smtp-receiver.ts';

// Quiet hours delay (not drop) a message; clearing the alarm stops its chain as acknowledging does.
// The simulated clock starts at the last full minute; the quiet hours are set around it, so nothing
// here depends on the calendar.
const T0 = Math.floor(Date.now() / 60_000) * 60_000;
const MIN = 60_000;
let now = T0;
const QUIET_END = T0 + 90 * MIN;
const hhmm = (ms: number) => formatTime(ms, 'UTC').slice(11);
const quietHours = { from: hhmm(T0), to: hhmm(QUIET_END) };

const seq: Record<string, number> = {};
let layer: ServiceLayer;
let smtp: SmtpReceiver;
let rest: RoleApi;

const tripped = { 'pump[1].fault': good(true), 'pump[1].running': good(false) };
const healthy = {};
/** What each station reports every minute. */
const readings: Record<string, Record<string, TelemetryValue>> = { st1: healthy, st2: healthy };

async function sendAll(): Promise<void> {
  for (const [station, values] of Object.entries(readings)) {
    seq[station] = (seq[station] ?? 0) + 1;
    await layer.onTelemetry(stationTelemetry(station, seq[station] ?? 0, now, values), now);
  }
}

/** The clock moves on minute by minute; every station reports once a minute and the service ticks. */
async function minutesPass(minutes: number): Promise<void> {
  for (let i = 0; i < minutes; i++) {
    now += MIN - 1000;
    await sendAll();
    now += 1000;
    await layer.tick(now);
    await layer.notify.idle();
  }
}

const mailsTo = (address: string) => smtp.mails.filter((m) => m.to.includes(address));

interface LogEntry {
  recipient: string;
  status: string;
  holdUntil: number | null;
  station: string | null;
  kind: string;
  detail: string;
}
async function logOf(recipient: string): Promise<LogEntry[]> {
  const answer = await rest.call('GET', `/notifications/log?recipient=${recipient}&limit=100`, 'admin');
  return answer.body.entries;
}

async function ticketOf(station: string) {
  const [row] = await layer.stores.tickets.list({ station });
  if (!row) throw new Error(`no ticket at ${station}`);
  return (await rest.call('GET', `/tickets/${row.id}`, 'service')).body.ticket as {
    id: number;
    timeline: { action: string; code: string | null; params: Record<string, unknown> }[];
  };
}

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  layer = await startServiceLayer({
    dataDir: ':memory:',
    clock: () => now,
    seedDemo: true,
    notifySettings: {
      smtp: { host: '127.0.0.1', port: smtp.port, from: 'Aftercare <alerts@aftercare.test>' },
      teams: [
        {
          id: 'north',
          supervisor: 'sup',
          manager: 'boss',
          rota: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, from: '00:00', to: '00:00', username: 'tech' })),
        },
      ],
      chains: {
        minor: { steps: [] },
        general: {
          steps: [
            { to: 'on_call', afterMinutes: 0 },
            { to: 'supervisor', afterMinutes: 15 },
            { to: 'manager', afterMinutes: 30 },
          ],
        },
        major: { steps: [{ to: 'on_call', afterMinutes: 0 }] },
      },
    },
  });
  rest = await serveWithTestRoles([...layer.routers]);
  for (const [username, profile] of [
    // The technician keeps quiet hours too: being on call overrides them.
    ['tech', { email: 'tech@aftercare.test', language: 'en', timeZone: 'UTC', quietHours }],
    ['sup', { email: 'sup@aftercare.test', language: 'en', timeZone: 'UTC', quietHours }],
    ['boss', { email: 'boss@aftercare.test', language: 'en', timeZone: 'UTC' }],
  ] as const) {
    const answer = await rest.call('PUT', `/notifications/profiles/${username}`, 'admin', profile);
    expect(answer.status).toBe(200);
  }
}, 120_000);

afterAll(async () => {
  await rest?.close();
  await layer?.close();
  await smtp?.stop();
});

describe('quiet hours hold a message until they end; a clear stops the chain', () => {
  test('the on-call technician is told at once, quiet hours or not', async () => {
    await sendAll();
    now += 1000;
    readings.st1 = tripped;
    readings.st2 = tripped;
    await sendAll();
    await layer.notify.idle();
    await smtp.waitFor(2, 10_000);
    expect(mailsTo('tech@aftercare.test').map((m) => m.subject)).toEqual([
      expect.stringMatching(/Pump trip/i),
      expect.stringMatching(/Pump trip/i),
    ]);
    expect((await logOf('user:tech')).map((e) => e.status)).toEqual(['sent', 'sent']);
  });

  test("the supervisor's step falls in quiet hours: held, with the time it goes out", async () => {
    await minutesPass(16);
    expect(mailsTo('sup@aftercare.test')).toEqual([]);
    const held = await logOf('user:sup');
    expect(held.map((e) => [e.station, e.status, e.holdUntil])).toEqual([
      ['st2', 'held', QUIET_END],
      ['st1', 'held', QUIET_END],
    ]);
  });

  test('st2 runs normally again: its chain stops, said on the ticket timeline and in the chain', async () => {
    readings.st2 = healthy;
    await minutesPass(2);
    const alarms = await layer.stores.alarms.list({ station: 'st2' });
    expect(alarms.map((a) => a.status)).toEqual(['cleared_unack']);
    const ticket = await ticketOf('st2');
    const lines = ticket.timeline.filter((e) => e.action === 'escalation').map((e) => e.code);
    expect(lines).toEqual(['event.escalationCleared']);
    expect((await layer.notify.chainOfTicket(ticket.id))?.stopped_by).toBe('cleared');
  });

  test('30 minutes on, only the still tripped st1 reaches the manager; st2 does not', async () => {
    await minutesPass(14);
    const boss = mailsTo('boss@aftercare.test');
    expect(boss).toHaveLength(1);
    expect(boss[0]?.subject).toMatch(/^\[Escalated\] .* 30 min/);
    expect((await logOf('user:boss')).map((e) => e.station)).toEqual(['st1']);
  });

  test("when quiet hours end the supervisor gets st1's message; st2's is cancelled, its alarm cleared", async () => {
    await minutesPass(Math.floor((QUIET_END - now) / MIN));
    expect(now).toBeLessThan(QUIET_END);
    expect(mailsTo('sup@aftercare.test')).toEqual([]);
    await minutesPass(1);
    expect(now - QUIET_END).toBeGreaterThanOrEqual(0);
    expect(now - QUIET_END).toBeLessThan(MIN);
    await smtp.waitFor(4, 10_000);
    const sup = mailsTo('sup@aftercare.test');
    expect(sup).toHaveLength(1);
    expect(sup[0]?.subject).toMatch(/^\[Escalated\] .*Pump trip.* 15 min/i);
    const log = await logOf('user:sup');
    expect(log.map((e) => [e.station, e.status])).toEqual([
      ['st2', 'cancelled'],
      ['st1', 'sent'],
    ]);
    expect(log[0]?.detail).toContain('cleared');
    // Released once: later ticks send nothing again.
    await minutesPass(2);
    expect(mailsTo('sup@aftercare.test')).toHaveLength(1);
  });

  test('the fault at st2 comes back: its chain resumes without repeating a step already sent', async () => {
    const techBefore = mailsTo('tech@aftercare.test').length;
    readings.st2 = tripped;
    await minutesPass(1);
    // The manager's step (30 min after the first raise) is long due; the on-call step was sent.
    await smtp.waitFor(5, 10_000);
    expect(mailsTo('tech@aftercare.test')).toHaveLength(techBefore);
    expect((await logOf('user:boss')).map((e) => e.station)).toEqual(['st2', 'st1']);
    const ticket = await ticketOf('st2');
    expect(ticket.timeline.filter((e) => e.action === 'escalation').map((e) => e.code)).toEqual([
      'event.escalationCleared',
      'event.escalationResumed',
    ]);
    expect(layer.notify.counters).toMatchObject({ chainsResumed: 1, held: 2, failures: 0 });
  });

  test('an acknowledgement says so on the timeline too', async () => {
    const ticket = await ticketOf('st1');
    const [alarm] = (await rest.call('GET', '/alarms?station=st1', 'operator')).body.alarms;
    expect((await rest.call('POST', `/alarms/${alarm.id}/ack`, 'operator', { note: 'on it' })).status).toBe(
      200,
    );
    await layer.notify.idle();
    const after = await ticketOf('st1');
    const line = after.timeline.find((e) => e.code === 'event.escalationAcknowledged');
    expect(line?.params).toEqual({ by: 'operator' });
    expect((await layer.notify.chainOfTicket(ticket.id))?.stopped_by).toBe('operator');
  });
});
