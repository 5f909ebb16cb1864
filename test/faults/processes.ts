import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { stopChild, tailOf } from '../support/child-process.ts';
import { writeInfluxConfig } from '../support/influxdb.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/aftercare.js');

/** One component running as its own OS process, restartable with the same arguments. */
export class Component {
  #child: ChildProcess | undefined;
  #output: () => string = () => '';

  constructor(
    readonly name: string,
    readonly command: string,
    readonly args: readonly string[],
    readonly env: Record<string, string> = {},
  ) {}

  start(): void {
    if (this.running) throw new Error(`${this.name} is already running`);
    const child = spawn(this.command, [...this.args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = tailOf(child.stdout);
    const err = tailOf(child.stderr);
    this.#output = () => `${out()}\n${err()}`;
    this.#child = child;
  }

  get running(): boolean {
    const child = this.#child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  get child(): ChildProcess {
    if (!this.#child) throw new Error(`${this.name} was never started`);
    return this.#child;
  }

  /** SIGKILL: no shutdown code runs, as in a crash or power loss of the process. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM with a grace period, as an operator's restart. */
  async stop(): Promise<void> {
    if (this.#child && this.running) await stopChild(this.#child, 8000);
  }

  output(): string {
    return this.#output();
  }
}

/** `node bin/aftercare.js <command> ...args`. */
export function aftercare(name: string, command: string, args: readonly string[], env = {}): Component {
  return new Component(name, process.execPath, [BIN, command, ...args], env);
}

/** Debian's influxd 1.6 on a fixed port and directory, so a restart keeps its data. */
export async function influxComponent(dir: string, httpPort: number, rpcPort: number): Promise<Component> {
  await mkdir(dir, { recursive: true });
  const configPath = await writeInfluxConfig(dir, httpPort, rpcPort);
  return new Component('influxd', '/usr/bin/influxd', ['-config', configPath]);
}

/** Polls `probe` until it returns a value; bounded by `timeoutMs`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last error: ${String(last)})` : ''}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
