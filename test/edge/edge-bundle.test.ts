import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../core/log.ts';
import { loadProfile } from '../../core/profile/load.ts';
import { topics } from '../../core/telemetry/topics.ts';
import { type RunningSimulator, startSimulator } from '../../simulators/index.ts';
import { spawnCollecting } from '../support/child-process.ts';
import { cloneWithoutTsx } from '../support/clone-without-tsx.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';
import { captureMqtt, waitFor } from './mqtt-capture.ts';

/**
 * `aftercare edge` from a clean state, as after `npm ci` in a fresh clone: a copy of the sources
 * without dist/, and a node_modules with every package but tsx, so a start that fell back to the
 * TypeScript sources would fail instead of passing unnoticed.
 */
const clone = cloneWithoutTsx(['bin', 'cli', 'core', 'edge'], 'aftercare-edge-bundle-');
const bundle = join(clone, 'dist/edge/aftercare-edge.mjs');
const profileFile = resolve('profiles/booster-3p-380.yaml');
const children: ChildProcess[] = [];
let broker: RunningMosquitto;
let sim: RunningSimulator;

function aftercare(args: string[], env: Record<string, string> = {}) {
  return spawnCollecting(
    [join(clone, 'bin/aftercare.js'), ...args],
    { cwd: clone, env: { LOG_LEVEL: 'warn', MQTT_URL: '', AFTERCARE_EDGE_CONFIG: '', ...env } },
    children,
  );
}

beforeAll(async () => {
  broker = await startMosquitto();
  sim = await startSimulator({
    profile: loadProfile(profileFile),
    stations: [{ id: 'b1', port: 0 }],
    controlPort: 0,
    seed: 5,
    logger: silentLogger(),
  });
});

afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await sim?.stop();
  await broker?.stop();
  rmSync(clone, { recursive: true, force: true });
});

describe('aftercare edge runs prebuilt JavaScript', () => {
  test('without dist/ the first start builds the bundle, then runs it (tsx is not installed)', async () => {
    expect(existsSync(bundle)).toBe(false);
    const run = aftercare(['edge', '--help']);
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('Usage: aftercare edge [options]');
    expect(run.output()).toContain('AFTERCARE_EDGE_CONFIG');
    expect(existsSync(bundle)).toBe(true);
    expect(existsSync(join(clone, 'dist/edge/manifest.json'))).toBe(true);
  }, 60_000);

  test('a fresh bundle is used as it is', async () => {
    const before = statSync(bundle).mtimeMs;
    const run = aftercare(['edge', '--help']);
    expect(await run.exited).toBe(0);
    expect(statSync(bundle).mtimeMs).toBe(before);
  });

  test('an edited source makes the bundle stale: the next start rebuilds it with the edit', async () => {
    const command = join(clone, 'edge/command.ts');
    const edited = readFileSync(command, 'utf8').replace(
      "'Poll Modbus stations (TCP or RTU)",
      "'Edited in the test. Poll Modbus stations (TCP or RTU)",
    );
    expect(edited).toContain('Edited in the test.');
    writeFileSync(command, edited);
    const run = aftercare(['edge', '--help']);
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('Edited in the test.');
    expect(readFileSync(bundle, 'utf8')).toContain('Edited in the test.');
  }, 60_000);

  test('polls a simulated station and publishes its telemetry', async () => {
    const config = join(clone, 'edge.yaml');
    writeFileSync(
      config,
      [
        'edgeId: edge-bundle',
        'site: bundle-site',
        `mqtt: { url: ${JSON.stringify(broker.url)} }`,
        'pollClasses: { fast: 300, slow: 3000 }',
        'stations:',
        `  - { id: b1, profile: ${JSON.stringify(profileFile)}, tcp: { host: 127.0.0.1, port: ${sim.ports.b1} } }`,
      ].join('\n'),
    );
    const capture = await captureMqtt(broker.url, topics.telemetry('bundle-site', '+'));
    try {
      const run = aftercare(['edge', '--config', config, '--stats-every', '0']);
      const first = await waitFor(
        'telemetry from the bundled edge',
        () => capture.messages.find((m) => m.payload.station === 'b1'),
        20_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}; edge output: ${run.output()}`);
      });
      expect(first.payload).toMatchObject({ v: 1, site: 'bundle-site', edge: 'edge-bundle', state: 'ok' });
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    } finally {
      await capture.stop();
    }
  }, 60_000);
});
