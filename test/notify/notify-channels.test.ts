import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { formatTime } from '../../core/notify/messages.ts';
import { type NotifySettings, notifySettingsSchema } from '../../core/notify/settings.ts';
import { buildChannels, Dispatcher, type Notice, type Recipient } from '../../server/notify/dispatcher.ts';
import { NotifyStore } from '../../server/notify/notify-store.ts';
import { WebhookQueue } from '../../server/notify/webhook-queue.ts';
import { type ServiceLayer, startServiceLayer } from '../../server/service-layer.ts';
import {
  startAliyunSmsReceiver,
  startDingtalkReceiver,
  startTencentSmsReceiver,
  startWebhookReceiver,
} from '../support/notify-receivers.ts';
import { QUALITY_RECORD } from '../support/quality-record.ts';
import { type RoleApi, serveWithTestRoles } from '../support/role-api.ts';
import { type SmtpReceiver, startSmtpReceiver } from '../support/smtp-receiver.ts';

const now = Math.floor(Date.now() / 60_000) * 60_000;
let layer: ServiceLayer;
let store: NotifyStore;
let rest: RoleApi;
let smtp: SmtpReceiver;
const closers: (() => Promise<void>)[] = [];

const SECRET = 'webhook-secret-0123456789';
const settingsWith = (input: Parameters<typeof notifySettingsSchema.parse>[0]): NotifySettings =>
  notifySettingsSchema.parse(input);

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  layer = await startServiceLayer({
    dataDir: ':memory:',
    clock: () => now,
    seedDemo: true,
  });
  store = new NotifyStore(layer.db);
  rest = await serveWithTestRoles([...layer.routers]);
}, 60_000);

afterAll(async () => {
  for (const close of closers) await close();
  await rest?.close();
  await layer?.close();
  await smtp?.stop();
});

describe('signed webhooks', () => {
  test('retried with exponential back-off until the consumer takes it, signature checked each time', async () => {
    const receiver = await startWebhookReceiver(SECRET, 2);
    closers.push(receiver.close);
    const settings = settingsWith({
      webhooks: [{ id: 'ops', url: receiver.url, secret: SECRET }],
      limits: { webhookAttempts: 5, webhookBackoffMs: 2000 },
    });
    const queue = new WebhookQueue(store, silentLogger());
    const t0 = now;
    await queue.enqueue(settings, {
      id: 'alarm:1:step:0',
      kind: 'alarm.raised',
      at: t0,
      params: { station: 'st1' },
    });
    await queue.enqueue(settings, {
      id: 'alarm:1:step:0',
      kind: 'alarm.raised',
      at: t0,
      params: { station: 'st1' },
    });
    const tries: [number, number][] = [];
    for (const offset of [0, 1000, 2000, 5000, 6000, 7000]) {
      const delivered = await queue.deliverDue(settings, t0 + offset);
      tries.push([offset, delivered]);
    }
    // 503 at 0 and 2000 (back-off 2 s, then 4 s), delivered at 6000; queued once despite two enqueues.
    expect(receiver.attempts()).toBe(3);
    expect(receiver.refused).toEqual(['unavailable', 'unavailable']);
    expect(tries).toEqual([
      [0, 0],
      [1000, 0],
      [2000, 0],
      [5000, 0],
      [6000, 1],
      [7000, 0],
    ]);
    expect(receiver.received).toEqual([
      { id: 'alarm:1:step:0', kind: 'alarm.raised', at: t0, params: { station: 'st1' } },
    ]);
  });

  test('after the last attempt a delivery is a dead letter an admin sees and replays', async () => {
    const receiver = await startWebhookReceiver(SECRET, 3);
    closers.push(receiver.close);
    const settings = settingsWith({
      webhooks: [{ id: 'erp', url: receiver.url, secret: SECRET }],
      limits: { webhookAttempts: 3, webhookBackoffMs: 100 },
    });
    await store.saveSettings(settings, now);
    await layer.notify.reload();
    await layer.notify.webhooks.enqueue(settings, {
      id: 'ticket:9:ticket.opened:0',
      kind: 'ticket.opened',
      at: now,
      params: {},
    });
    for (let i = 0; i < 5; i++) await layer.notify.tick(now + i * 1000);
    const dead = (await rest.call('GET', '/notifications/dead-letters', 'admin')).body.deadLetters;
    expect(dead.map((d: { webhookId: string; attempts: number }) => [d.webhookId, d.attempts])).toEqual([
      ['erp', 3],
    ]);
    expect(dead[0].lastError).toContain('503');
    expect((await rest.call('GET', '/notifications/dead-letters', 'operator')).status).toBe(403);
    expect((await rest.call('POST', '/notifications/dead-letters/99999/replay', 'admin')).status).toBe(404);
    const replay = await rest.call('POST', `/notifications/dead-letters/${dead[0].id}/replay`, 'admin');
    expect(replay.status).toBe(204);
    await layer.notify.idle();
    expect(receiver.received.map((r) => r.id)).toEqual(['ticket:9:ticket.opened:0']);
    expect((await rest.call('GET', '/notifications/dead-letters', 'admin')).body.deadLetters).toEqual([]);
  });

  test('a consumer that refuses the signature (4xx) gets no retries: dead at once', async () => {
    const receiver = await startWebhookReceiver('another-secret-0123456789');
    closers.push(receiver.close);
    const settings = settingsWith({ webhooks: [{ id: 'wrong', url: receiver.url, secret: SECRET }] });
    const queue = new WebhookQueue(store, silentLogger());
    await queue.enqueue(settings, { id: 'x:1', kind: 'alarm.raised', at: now, params: {} });
    await queue.deliverDue(settings, now);
    await queue.deliverDue(settings, now + 3_600_000);
    expect(receiver.refused).toEqual(['bad signature']);
    expect((await store.deadLetters()).some((d) => d.webhook_id === 'wrong' && d.attempts === 1)).toBe(true);
  });
});

const tech: Recipient = {
  id: 'user:tech',
  language: 'zh-CN',
  timeZone: 'Asia/Shanghai',
  phone: '13800000001',
};
const notice = (key: string, severity = 'general'): Notice => ({
  dedupeKey: key,
  kind: 'alarm.raised',
  params: { station: '一号泵站', fault: 'pump_trip', subject: 'pump[1]', severity, at: now },
  severity,
});

describe('SMS gateway, DingTalk robot, limits', () => {
  test('SMS: the template of the kind with its parameters in Chinese, signed as Aliyun checks it', async () => {
    const receiver = await startAliyunSmsReceiver('LTAI-test', 'sms-secret');
    closers.push(receiver.close);
    const settings = settingsWith({
      sms: {
        style: 'aliyun',
        url: receiver.url,
        accessKeyId: 'LTAI-test',
        accessKeySecret: 'sms-secret',
        signName: '售后服务',
        templates: { 'alarm.raised': 'SMS_100200' },
      },
    });
    const counts = await new Dispatcher(store, silentLogger()).dispatch(
      notice('sms:1'),
      tech,
      settings,
      buildChannels(settings, () => now),
      now,
    );
    expect(receiver.refused).toEqual([]);
    expect(counts.sent).toBe(1);
    expect(receiver.received).toHaveLength(1);
    const [sms] = receiver.received;
    expect([sms?.phone, sms?.signName, sms?.template]).toEqual(['13800000001', '售后服务', 'SMS_100200']);
    expect(sms?.params).toMatchObject({
      station: '一号泵站',
      fault: '水泵跳闸',
      subject: '1号泵',
      severity: '一般',
    });
    expect(sms?.params.at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  });

  test('SMS through Tencent Cloud: SendSms v3 signed with TC3-HMAC-SHA256, positional parameters', async () => {
    const receiver = await startTencentSmsReceiver('AKID-test', 'tencent-secret', '1400006666', () => now);
    closers.push(receiver.close);
    const gateway = {
      style: 'tencent' as const,
      url: receiver.url,
      accessKeyId: 'AKID-test',
      accessKeySecret: 'tencent-secret',
      smsSdkAppId: '1400006666',
      signName: '售后服务',
      templates: { 'alarm.raised': '449739', 'alarm.escalated': '449740' },
      templateParams: { 'alarm.escalated': ['station', 'minutes'] },
    };
    const settings = settingsWith({ sms: gateway });
    const dispatcher = new Dispatcher(store, silentLogger());
    const channels = buildChannels(settings, () => now);
    const raised = await dispatcher.dispatch(notice('tc:1'), tech, settings, channels, now);
    const escalated = await dispatcher.dispatch(
      { ...notice('tc:2'), kind: 'alarm.escalated', params: { ...notice('tc:2').params, minutes: 15 } },
      tech,
      settings,
      channels,
      now,
    );
    expect(receiver.refused).toEqual([]);
    expect([raised.sent, escalated.sent]).toEqual([1, 1]);
    const [first, second] = receiver.received;
    expect(first).toMatchObject({
      phones: ['+8613800000001'],
      signName: '售后服务',
      template: '449739',
      region: 'ap-guangzhou',
    });
    // {1} station, {2} fault, {3} severity, {4} time: the default order for alarm.raised, in Chinese.
    expect(first?.params.slice(0, 3)).toEqual(['一号泵站', '水泵跳闸', '一般']);
    expect(first?.params[3]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(second).toMatchObject({ template: '449740', params: ['一号泵站', '15'] });

    // A wrong SecretKey: the gateway's own code comes back, logged as failed, not retried.
    const wrong = settingsWith({ sms: { ...gateway, accessKeySecret: 'not-the-secret' } });
    const refused = await dispatcher.dispatch(
      notice('tc:3'),
      tech,
      wrong,
      buildChannels(wrong, () => now),
      now,
    );
    expect(refused.failed).toBe(1);
    expect(receiver.refused).toEqual(['AuthFailure.SignatureFailure']);
    const log = (await rest.call('GET', '/notifications/log?recipient=user:tech&limit=10', 'admin')).body
      .entries;
    expect(log[0]).toMatchObject({ dedupeKey: 'tc:3', status: 'failed' });
    expect(log[0].detail).toContain('AuthFailure.SignatureFailure');
    // A Tencent gateway without its SmsSdkAppId is refused when the settings are read.
    expect(() => settingsWith({ sms: { ...gateway, smsSdkAppId: undefined } })).toThrow(/smsSdkAppId/);
  });

  test('DingTalk: a signed URL the robot accepts, markdown with the @-mention', async () => {
    const receiver = await startDingtalkReceiver('token-1', 'SECdingtalk', () => now);
    closers.push(receiver.close);
    const settings = settingsWith({
      robots: [
        { id: 'ding', kind: 'dingtalk', url: `${receiver.url}?access_token=token-1`, secret: 'SECdingtalk' },
      ],
    });
    const counts = await new Dispatcher(store, silentLogger()).dispatch(
      notice('ding:1'),
      { ...tech, robot: 'ding' },
      settings,
      buildChannels(settings, () => now),
      now,
    );
    expect(receiver.refused).toEqual([]);
    expect(counts.sent).toBe(1);
    expect(receiver.received[0]?.at.atMobiles).toEqual(['13800000001']);
    expect(receiver.received[0]?.markdown.text).toContain('@13800000001');
    expect(receiver.received[0]?.markdown.title).toContain('水泵跳闸');
  });

  test('rate limit per recipient, quiet hours below major, one message per key', async () => {
    const settings = settingsWith({
      smtp: { host: '127.0.0.1', port: smtp.port, from: 'alerts@aftercare.test' },
      limits: { perRecipientPerHour: 2 },
    });
    const channels = buildChannels(settings, () => now);
    const dispatcher = new Dispatcher(store, silentLogger());
    const who: Recipient = {
      id: 'user:limited',
      language: 'en',
      timeZone: 'UTC',
      email: 'limited@aftercare.test',
    };
    const results = [];
    for (const key of ['r:1', 'r:1', 'r:2', 'r:3'])
      results.push(await dispatcher.dispatch(notice(key), who, settings, channels, now));
    expect(results.map((r) => [r.sent, r.duplicate, r.skipped])).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
    ]);
    const log = (await rest.call('GET', '/notifications/log?recipient=user:limited', 'admin')).body.entries;
    expect(log.map((e: { status: string }) => e.status)).toEqual(['rate_limited', 'sent', 'sent']);
    // Quiet for the hour from now (UTC, the recipient's zone): set from the clock, not the calendar.
    const hhmm = (ms: number) => formatTime(ms, 'UTC').slice(11);
    const quietHours = { from: hhmm(now), to: hhmm(now + 3_600_000) };
    const sleeper: Recipient = { ...who, id: 'user:sleeper', quietHours };
    const minor = await dispatcher.dispatch(notice('q:1', 'minor'), sleeper, settings, channels, now);
    const major = await dispatcher.dispatch(notice('q:2', 'major'), sleeper, settings, channels, now);
    const onCall = await dispatcher.dispatch(
      { ...notice('q:3', 'general'), onCall: true },
      sleeper,
      settings,
      channels,
      now,
    );
    expect([minor.held, minor.skipped, major.sent, onCall.sent]).toEqual([1, 0, 1, 1]);
    const held = (await rest.call('GET', '/notifications/log?recipient=user:sleeper', 'admin')).body.entries;
    expect(held.map((e: { status: string; holdUntil: number | null }) => [e.status, e.holdUntil])).toEqual([
      ['sent', null],
      ['sent', null],
      ['held', now + 3_600_000],
    ]);
  });
});

describe("customers' own notices", () => {
  test('ticket opened, technician dispatched with expected arrival, resolved with the survey link: in Chinese', async () => {
    const settings = settingsWith({
      smtp: { host: '127.0.0.1', port: smtp.port, from: 'alerts@aftercare.test' },
      customers: { surveyUrl: 'https://service.example.com/survey?ticket={ticket}' },
    });
    expect((await rest.call('PUT', '/notifications/settings', 'admin', settings)).status).toBe(200);
    const mailsBefore = smtp.mails.length;
    await layer.stores.assets.upsertCustomer({
      id: 'demo-water',
      name: 'Demo Water Supply Co.',
      address: '1 Reservoir Road',
      phone: '+86 10 0000 0000',
      contacts: JSON.stringify([{ name: '王经理', email: 'wang@customer.test' }, { name: '无联系方式' }]),
    });
    const opened = await rest.call('POST', '/tickets', 'service', {
      site: 'demo',
      station: 'st2',
      title: '水泵噪音大',
      severity: 'general',
      source: 'phone',
      reportedBy: '王经理 138 0000 0002',
    });
    expect(opened.status).toBe(201);
    const id = opened.body.ticket.id;
    const step = (body: object) => rest.call('POST', `/tickets/${id}/transitions`, 'service', body);
    expect((await step({ action: 'triage', mode: 'on_site', department: 'after_sales' })).status).toBe(200);
    const eta = now + 2 * 3_600_000;
    expect((await step({ action: 'dispatch', technician: '李师傅', expectedArrival: eta })).status).toBe(200);
    expect((await step({ action: 'arrive' })).status).toBe(200);
    const resolved = await step({
      action: 'resolve',
      workDone: '更换轴承',
      rootCause: 'bearing_wear',
      ...QUALITY_RECORD,
    });
    expect(resolved.status).toBe(200);
    await layer.notify.idle();
    const mails = (await smtp.waitFor(mailsBefore + 3)).filter((m) => m.to.includes('wang@customer.test'));
    expect(mails.map((m) => m.subject)).toEqual([
      `您的服务工单 #${id} 已受理`,
      `工单 #${id}：技术人员已出发`,
      `工单 #${id} 已处理完毕`,
    ]);
    expect(mails[1]?.text).toContain('李师傅');
    expect(mails[1]?.text).toMatch(/预计 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 到达/);
    expect(mails[2]?.text).toContain(`https://service.example.com/survey?ticket=${id}`);
    const log = (await rest.call('GET', '/notifications/log?limit=1000', 'admin')).body.entries;
    expect(
      log.filter((e: { recipient: string }) => e.recipient === 'contact:demo-water/王经理'),
    ).toHaveLength(3);
  });
});
