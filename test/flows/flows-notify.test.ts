import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';
import { type SmtpReceiver, startSmtpReceiver } from '../support/smtp-receiver.ts';
import { deploy, PEOPLE, signIn, startFlowsServer } from './support.ts';

// The `aftercare notify` node sends to a platform user through the platform's notification
// channels (issue 22 with issue 18): an e-mail over a real SMTP server, logged in the message log.
let broker: RunningMosquitto;
let smtp: SmtpReceiver;
let server: RunningServer;
let dataDir: string;

beforeAll(async () => {
  broker = await startMosquitto();
  smtp = await startSmtpReceiver();
  dataDir = await mkdtemp(join(tmpdir(), 'aftercare-flows-notify-'));
  server = await startFlowsServer(broker.url, dataDir, {
    service: {
      seedDemo: true,
      notifySettings: {
        smtp: { host: '127.0.0.1', port: smtp.port, from: 'Aftercare <flows@aftercare.test>' },
      },
    },
  });
}, 300_000);

afterAll(async () => {
  await server?.stop();
  await smtp?.stop();
  await broker?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('a flow e-mails a platform user through the notification channels, once per message, logged', async () => {
  const admin = await signIn(server, PEOPLE.admin);
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${server.url}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const profile = await api('PUT', `/notifications/profiles/${PEOPLE.engineer.username}`, {
    email: 'eng@aftercare.test',
    language: 'zh-CN',
  });
  expect(profile.status).toBe(200);
  const flow = [
    { id: 'tab', type: 'tab', label: 'notify' },
    {
      id: 'go',
      type: 'inject',
      z: 'tab',
      once: true,
      onceDelay: 0.2,
      topic: '夜间巡检',
      payload: '2 号泵站出口压力偏低，请检查。',
      payloadType: 'str',
      wires: [['send']],
    },
    { id: 'send', type: 'aftercare notify', z: 'tab', to: PEOPLE.engineer.username, wires: [[]] },
  ];
  expect((await deploy(server, admin, flow)).status).toBe(204);
  const [mail] = await smtp.waitFor(1, 30_000);
  expect(mail).toMatchObject({ subject: '夜间巡检', text: expect.stringContaining('出口压力偏低') });
  expect(mail!.to).toContain('eng@aftercare.test');
  const log = (await (await api('GET', '/notifications/log')).json()) as {
    entries: { kind: string; channel: string; status: string; recipient: string }[];
  };
  expect(log.entries.filter((e) => e.kind === 'flow.message')).toEqual([
    expect.objectContaining({
      channel: 'email',
      status: 'sent',
      recipient: `user:${PEOPLE.engineer.username}`,
    }),
  ]);
}, 120_000);
