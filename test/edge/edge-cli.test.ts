import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { loadProfile } from '../../core/profile/load.ts';
import type { Telemetry } from '../../core/telemetry/payloads.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { type RunningSimulator, startSimulator } from '../../simulators/index.ts';
import { spawnCollecting } from '../support/child-process.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';
import { captureMqtt, waitFor } from './mqtt-capture.ts';

const profileFile = resolve('profiles/booster-3p-380.yaml');
const dir = mkdtempSync(join(tmpdir(), 'aftercare-edge-cli-'));
const children: ChildProcess[] = [];
let broker: RunningMosquitto;
let sim: RunningSimulator;

function runEdge(args: string[], env: Record<string, string> = {}) {
  return spawnCollecting(
    ['bin/run-ts.js', 'test/edge/edge-cli-main.ts', 'edge', ...args],
    { env: { LOG_LEVEL: 'warn', MQTT_URL: '', AFTERCARE_EDGE_CONFIG: '', ...env } },
    children,
  );
}

beforeAll(async () => {
  broker = await startMosquitto({ users: { edge: 'edge-secret' } });
  sim = await startSimulator({
    profile: loadProfile(profileFile),
    stations: [{ id: 'cli1', port: 0 }],
    controlPort: 0,
    seed: 3,
    logger: silentLogger(),
  });
  writeFileSync(
    join(dir, 'edge.yaml'),
    [
      'edgeId: edge-cli',
      'site: cli-site',
      'mqtt: { url: "mqtt://127.0.0.1:1", username: edge }',
      'pollClasses: { fast: 300, slow: 3000 }',
      'stations:',
      `  - { id: cli1, profile: ${JSON.stringify(profileFile)}, tcp: { host: 127.0.0.1, port: ${sim.ports.cli1} } }`,
    ].join('\n'),
  );
});

afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await sim?.stop();
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('aftercare edge (command line)', () => {
  test('--help explains the options and their env vars', async () => {
    const run = runEdge(['--help']);
    expect(await run.exited).toBe(0);
    for (const text of [
      '--config <file>',
      'AFTERCARE_EDGE_CONFIG',
      '--mqtt-url <url>',
      'MQTT_URL',
      '--log-level',
    ]) {
      expect(run.output()).toContain(text);
    }
  });

  test('without a config it exits non-zero and says what to give', async () => {
    const run = runEdge([]);
    expect(await run.exited).not.toBe(0);
    expect(run.output()).toContain('--config');
  });

  test('a broken config file exits non-zero naming the file and field', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'edgeId: e\nsite: s\nmqtt: { url: "http://nope" }\nstations: []\n');
    const run = runEdge(['--config', bad]);
    expect(await run.exited).not.toBe(0);
    expect(run.output()).toContain(`${bad}: invalid edge config`);
    expect(run.output()).toContain('field "mqtt.url"');
  });

  test('flags beat env beat file; SIGKILL leaves the last will (online false, retained)', async () => {
    const capture = await captureMqtt(
      `mqtt://edge:edge-secret@127.0.0.1:${broker.port}`,
      'aftercare/v1/cli-site/#',
    );
    try {
      // The file's URL (port 1) and MQTT_URL (port 2) are wrong; only the flag's is right.
      const run = runEdge(['--mqtt-url', broker.url], {
        AFTERCARE_EDGE_CONFIG: join(dir, 'edge.yaml'),
        MQTT_URL: 'mqtt://127.0.0.1:2',
        MQTT_PASSWORD: 'edge-secret',
      });
      const status = topics.edgeStatus('cli-site', 'edge-cli');
      await waitFor('online status', () => capture.on(status).find((m) => m.payload.online === true), 20_000);
      const seen = await waitFor(
        'two telemetry messages',
        () => {
          const list = capture.on(topics.telemetry('cli-site', 'cli1'));
          return list.length >= 2 ? list : undefined;
        },
        10_000,
      );
      expect((seen[1]!.payload as Telemetry).seq).toBe(1);
      expect(run.output()).not.toContain('edge-secret');
      const killedAt = Date.now();
      run.child.kill('SIGKILL');
      await run.exited;
      const will = await waitFor('last will', () =>
        capture.on(status).find((m) => m.at >= killedAt && m.payload.online === false),
      );
      expect(will.payload).toMatchObject({ v: 1, edge: 'edge-cli', site: 'cli-site', online: false });
      const late = await captureMqtt(`mqtt://edge:edge-secret@127.0.0.1:${broker.port}`, status);
      const retained = await waitFor('retained will', () => late.messages[0]);
      await late.stop();
      expect(retained).toMatchObject({ retain: true, payload: { online: false } });
    } finally {
      await capture.stop();
    }
  });
});
