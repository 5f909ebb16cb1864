import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningDemo, startDemo } from '../../cli/demo.ts';
import { silentLogger } from '../../core/log.ts';
import { launchChromium, SCREENSHOT_DIR } from '../support/browser.ts';

let demo: RunningDemo;
let dataDir: string;
let browser: Browser | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'aftercare-demo-'));
  demo = await startDemo({
    port: 0,
    mqttPort: 0,
    modbusPort: 0,
    controlPort: 0,
    dataDir,
    seed: 7,
    speed: 1,
    internalSecret: 'test-internal-secret',
    scenarioDir: join(process.cwd(), 'scenarios'),
    logger: silentLogger(),
  });
  // Slow-class tags (run hours, counters) arrive with the first slow cycle, up to 10 s in.
  await waitFor(
    'three live stations with every profile value',
    async () => {
      const list = await stations();
      return list.length === 3 && list.every((s) => s.values === 58);
    },
    30_000,
  );
  // Two PGlite databases open at start: slow on a loaded 2-core machine.
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

let session: { token: string; username: string; role: string; expiresAt: string } | undefined;

/** The operator's demo account, signed in once: every route but health and sign-in needs it. */
async function operator(): Promise<NonNullable<typeof session>> {
  if (!session) {
    const response = await fetch(`${demo.server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'operator', password: 'operator' }),
    });
    if (!response.ok) throw new Error(`operator sign-in: ${response.status} ${await response.text()}`);
    session = (await response.json()) as NonNullable<typeof session>;
  }
  return session;
}

async function authorized(): Promise<Record<string, string>> {
  return { authorization: `Bearer ${(await operator()).token}` };
}

async function stations(): Promise<Array<{ station: string; state: string; values: number }>> {
  const response = await fetch(`${demo.server.url}/api/stations`, { headers: await authorized() });
  return response.ok
    ? ((await response.json()) as Array<{ station: string; state: string; values: number }>)
    : [];
}

type StationDetail = { values: Record<string, { v: number | boolean | null; q: string }> };

async function detail(id: string): Promise<StationDetail> {
  const response = await fetch(`${demo.server.url}/api/stations/${id}`, { headers: await authorized() });
  return (await response.json()) as StationDetail;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Runs mosquitto_sub for at most `timeoutSeconds`; resolves with its exit code and output. */
function mosquittoSub(args: string[], timeoutSeconds = 10): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/mosquitto_sub', [
      '-h',
      '127.0.0.1',
      '-p',
      String(demo.broker.port),
      '-W',
      String(timeoutSeconds),
      ...args,
    ]);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('the one-command demo', () => {
  test('serves three stations with every profile value', async () => {
    const list = await stations();
    expect(list.map((s) => s.station).sort()).toEqual(['st1', 'st2', 'st3']);
    for (const station of list) {
      expect(station.state).toBe('ok');
      expect(station.values).toBe(58);
    }
  });

  test('the read-only viewer sees telemetry with mosquitto_sub', async () => {
    const { code, out } = await mosquittoSub([
      '-u',
      'viewer',
      '-P',
      'viewer',
      '-t',
      'aftercare/v1/demo/+/telemetry',
      '-C',
      '3',
    ]);
    expect(code).toBe(0);
    const messages = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { site: string; seq: number });
    expect(messages).toHaveLength(3);
    expect(messages.every((m) => m.site === 'demo' && m.seq > 0)).toBe(true);
  });

  test('a wrong password is refused', async () => {
    const { code, out } = await mosquittoSub(['-u', 'viewer', '-P', 'wrong', '-t', '#', '-C', '1'], 5);
    expect(code).not.toBe(0);
    expect(out).toMatch(/not authori[sz]ed|bad user name or password/i);
    expect(demo.broker.stats().authFailures).toBeGreaterThan(0);
  });

  test('an injected pump trip shows as a failover in the station values', async () => {
    const before = await detail('st1');
    const failovers = before.values['station.failover_count']?.v as number;
    await demo.simulator.inject('st1', 'pump_trip', { pump: 1 });
    await waitFor(
      'the failover to reach the API',
      async () => {
        const now = await detail('st1');
        return (
          now.values['pump[1].fault']?.v === true && now.values['station.failover_count']?.v === failovers + 1
        );
      },
      10_000,
    );
    const after = await detail('st1');
    expect(after.values['pump[1].running']?.v).toBe(false);
    expect(after.values['pump[3].running']?.v).toBe(true);
    await demo.simulator.clear('st1', 'pump_trip', { pump: 1 });
  });

  test('the old plain live page at /live/ is gone: the dashboards app is the one live view', async () => {
    // It called a station with a tripped pump "ok" and was linked from nowhere; the app's overview
    // shows the same station in alarm (dashboards.browser.test.ts), in English and Chinese.
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const response = await page.goto(`${demo.server.url}/live/`);
    expect(response?.status()).toBe(404);
    expect(await page.locator('#stations').count()).toBe(0);
    expect((await fetch(`${demo.server.url}/socket.io/socket.io.js`)).status).not.toBe(200);
    await page.goto(demo.server.url);
    await page.getByLabel('User name').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'live-page-gone.png'), fullPage: false });
  });
});

describe('aftercare demo as a process', () => {
  test('Ctrl-C stops everything and leaves nothing listening', { timeout: 260_000 }, async () => {
    const { freePort } = await import('../../core/net.ts');
    // A port freePort found free can be taken before the demo binds it (any outgoing connection may
    // get it as its local port): a start that fails with EADDRINUSE is tried again on other ports.
    let started: Awaited<ReturnType<typeof startDemoProcess>> | undefined;
    for (let attempt = 1; !started; attempt++) {
      const ports = {
        port: await freePort(),
        mqtt: await freePort(),
        control: await freePort(),
        modbus: await freePort(),
      };
      const run = await startDemoProcess(ports);
      if (run.bannerShown) started = run;
      else {
        await rm(run.dir, { recursive: true, force: true });
        if (!/EADDRINUSE/.test(run.errors()) || attempt === 3)
          throw new Error(
            `the demo exited before its banner; stdout: ${run.out().slice(-2000)}; stderr: ${run.errors().slice(-2000)}`,
          );
      }
    }
    const { child, dir, ports } = started;
    const out = started.out();
    const errors = () => started.errors();
    try {
      expect(out).toContain('viewer / viewer');
      expect(out).toMatch(/history {7}1 simulated day stored before going live \(1638 readings/);
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, signal) => resolve({ code, signal })),
      );
      child.kill('SIGINT');
      const exit = await exited;
      // On a failure, what the process said on its way out (a null code is a death by signal).
      expect({ ...exit, stderr: exit.code === 0 ? '' : errors().slice(-3000) }).toEqual({
        code: 0,
        signal: null,
        stderr: '',
      });
      for (const port of [
        ports.port,
        ports.mqtt,
        ports.control,
        ports.modbus,
        ports.modbus + 1,
        ports.modbus + 2,
      ]) {
        expect(await isListening(port)).toBe(false);
      }
    } finally {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** Starts `aftercare demo` on these ports; resolves once its banner shows or it exits first. */
async function startDemoProcess(ports: { port: number; mqtt: number; control: number; modbus: number }) {
  const dir = await mkdtemp(join(tmpdir(), 'aftercare-demo-cli-'));
  const child = spawn(
    process.execPath,
    [
      'bin/aftercare.js',
      'demo',
      '--port',
      String(ports.port),
      '--mqtt-port',
      String(ports.mqtt),
      '--control-port',
      String(ports.control),
      '--modbus-port',
      String(ports.modbus),
      '--data-dir',
      dir,
      // The default stores 30 days of history first; one keeps this test about start and stop (72
      // readings a station every 20 minutes, less its last two hours, then those every 15 s: 546 each).
      '--history-days',
      '1',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } },
  );
  let out = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const banner = () => out.includes('Ctrl-C stops everything');
  // Generous: two PGlite databases open at start, slow on a 2-core machine beside the fault harness.
  await waitFor('the banner', async () => banner() || child.exitCode !== null, 200_000).catch(
    (error: Error) => {
      child.kill('SIGKILL');
      throw new Error(`${error.message}; stdout: ${out.slice(-2000)}; stderr: ${errors.slice(-2000)}`);
    },
  );
  return { child, dir, ports, bannerShown: banner(), out: () => out, errors: () => errors };
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
