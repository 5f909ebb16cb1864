import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort } from '../../core/net.ts';
import { TokenIssuer } from '../../server/auth/tokens.ts';
import { spawnCollecting, waitUntil } from '../support/child-process.ts';
import { cloneWithoutTsx } from '../support/clone-without-tsx.ts';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.ts';

/**
 * `aftercare server` from a clean state, as after `npm ci` in a fresh clone: a copy of the sources
 * without dist/ and a node_modules with every package but tsx, so a start that fell back to the
 * TypeScript sources would fail instead of passing unnoticed. Node-RED, PGlite and the domain flow
 * nodes are found from the bundle under dist/server/.
 */
const clone = cloneWithoutTsx(
  ['bin', 'cli', 'core', 'edge', 'server', 'broker', 'simulators', 'profiles'],
  'aftercare-server-bundle-',
);
const bundle = join(clone, 'dist/server/aftercare-server.mjs');
const children: ChildProcess[] = [];
let broker: RunningMosquitto;

beforeAll(async () => {
  broker = await startMosquitto();
});

afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await broker?.stop();
  rmSync(clone, { recursive: true, force: true });
});

describe('aftercare server runs prebuilt JavaScript', () => {
  test('the first start builds the bundle, serves the API and runs Node-RED with the domain nodes (tsx is not installed)', async () => {
    expect(existsSync(bundle)).toBe(false);
    const port = await freePort();
    const secret = randomBytes(32).toString('base64url');
    const run = spawnCollecting(
      [
        join(clone, 'bin/aftercare.js'),
        'server',
        '--port',
        String(port),
        '--mqtt-url',
        broker.url,
        '--data-dir',
        join(clone, 'data'),
      ],
      { cwd: clone, env: { LOG_LEVEL: 'warn', AUTH_SECRET: secret, DATABASE_URL: '', INFLUX_URL: '' } },
      children,
    );
    const url = `http://127.0.0.1:${port}`;
    await waitUntil(
      'the bundled server answering /api/health',
      async () => ((await fetch(`${url}/api/health`)).ok ? true : undefined),
      run.child,
      120_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; server output: ${run.output()}`);
    });
    expect(existsSync(bundle)).toBe(true);
    // Not linked: a linked map was parsed into the heap once Node-RED turned source maps on.
    const built = readFileSync(bundle, 'utf8');
    expect(built).not.toContain('sourceMappingURL');
    // ASCII only: one non-ASCII character and V8 holds the whole source two bytes a character.
    expect(built.match(/[\u0080-\uffff]/)).toBeNull();
    const { token } = await new TokenIssuer({ secret }).issue({
      username: 'bundle-engineer',
      role: 'engineer',
    });
    const response = await fetch(`${url}/flows/nodes`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    expect(response.status).toBe(200);
    const sets = (await response.json()) as { module: string; types: string[]; err?: string }[];
    const ours = sets.filter((set) => set.module === 'aftercare-flow-nodes');
    expect(ours.map((set) => set.err ?? 'loaded')).toEqual(['loaded', 'loaded']);
    expect(ours.flatMap((set) => set.types)).toContain('aftercare telemetry');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  }, 180_000);
});
