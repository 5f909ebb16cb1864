import mqtt from 'mqtt';
import { createLogger, silentLogger } from '../../core/log.ts';
import { loadProfile } from '../../core/profile/load.ts';
import { hashSecret } from '../../core/secrets.ts';
import type { Telemetry } from '../../core/telemetry/payloads.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { type RunningServer, type ServerOptions, startServer } from '../../server/index.ts';

export const profile = loadProfile('profiles/booster-3p-380.yaml');

/** Accounts of the flows tests: one per role, each with a password that passes the rule. */
export const PEOPLE = {
  engineer: { username: 'eng', password: 'engineer flows 2026 ok', role: 'engineer' },
  admin: { username: 'boss', password: 'admin flows 2026 ok!!', role: 'admin' },
  operator: { username: 'op', password: 'operator flows 2026 ok', role: 'operator' },
} as const;

/** A server with flows on, demo assets and PEOPLE, on the given broker and data directory. */
export async function startFlowsServer(
  brokerUrl: string,
  dataDir: string,
  more: Partial<ServerOptions> = {},
): Promise<RunningServer> {
  return await startServer({
    port: 0,
    mqtt: { url: brokerUrl },
    dataDir,
    profiles: [profile],
    logger: process.env.FLOWS_TEST_LOG ? createLogger('server') : silentLogger(),
    service: { seedDemo: true },
    flows: process.env.FLOWS_TEST_LOG ? { logLevel: 'debug' } : true,
    accounts: await Promise.all(
      Object.values(PEOPLE).map(async (p) => ({
        username: p.username,
        passwordHash: await hashSecret(p.password),
        role: p.role,
      })),
    ),
    ...more,
  });
}

/** Signs in through the platform's login; the token the editor and admin API take. */
export async function signIn(server: RunningServer, who: { username: string; password: string }) {
  const response = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: who.username, password: who.password }),
  });
  if (response.status !== 200) throw new Error(`sign-in of ${who.username}: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/** Deploys `flows` in full through Node-RED's admin API with a platform bearer token. */
export async function deploy(server: RunningServer, token: string, flows: unknown[]) {
  return await fetch(`${server.url}/flows/flows`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'node-red-deployment-type': 'full',
    },
    body: JSON.stringify(flows),
  });
}

/** Publishes a station's telemetry as its edge would, one message per call, seq rising. */
export async function telemetryPublisher(brokerUrl: string) {
  const client = await mqtt.connectAsync(brokerUrl, { clientId: `flows-test-${process.pid}` });
  const seqs = new Map<string, number>();
  return {
    async publish(station: string, values: Telemetry['values']) {
      const seq = (seqs.get(station) ?? 0) + 1;
      seqs.set(station, seq);
      const message: Telemetry = {
        v: 1,
        site: 'demo',
        station,
        edge: 'edge-flows',
        model: profile.model,
        seq,
        ts: Date.now(),
        state: 'ok',
        values,
      };
      await client.publishAsync(topics.telemetry('demo', station), JSON.stringify(message), { qos: 1 });
    },
    close: () => client.endAsync(),
  };
}

/** Polls `check` until it answers something truthy; fails after `ms`. */
export async function until<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  ms = 30_000,
) {
  const deadline = Date.now() + ms;
  for (;;) {
    const answer = await check();
    if (answer) return answer;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The test flow of the issue: telemetry node -> function (a trip's rising edge) -> ticket node. */
export function tripToTicketFlow(station: string): unknown[] {
  return [
    { id: 'tab-trips', type: 'tab', label: `trips of ${station}` },
    {
      id: 'tele',
      type: 'aftercare telemetry',
      z: 'tab-trips',
      site: 'demo',
      station,
      readings: 'pump[*].fault',
      wires: [['edge']],
    },
    {
      id: 'edge',
      type: 'function',
      z: 'tab-trips',
      name: 'rising edge of pump 1 trip',
      func: [
        "const reading = msg.payload.values['pump[1].fault'];",
        'const tripped = !!(reading && reading.value === true);',
        "const was = context.get('tripped') || false;",
        "context.set('tripped', tripped);",
        'if (!tripped || was) return null;',
        'msg.payload = { site: msg.payload.site, station: msg.payload.station, pump: 1, fault: "pump_trip",',
        '  title: "Pump 1 tripped", severity: "major", note: "seen by the flow: check the drive" };',
        'return msg;',
      ].join('\n'),
      outputs: 1,
      wires: [['ticket']],
    },
    { id: 'ticket', type: 'aftercare ticket', z: 'tab-trips', action: 'open', wires: [[]] },
  ];
}
