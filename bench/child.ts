import { type ChildProcess, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUN_TS = fileURLToPath(new URL('../bin/run-ts.js', import.meta.url));

/** Messages between the bench and a worker (see workers/protocol.ts). */
export type ToWorker =
  | { type: 'start'; options: unknown }
  | { type: 'call'; id: number; name: string; args: unknown }
  | { type: 'stop' };
export type FromWorker =
  | { type: 'ready'; info: unknown }
  | { type: 'result'; id: number; value?: unknown; error?: string }
  | { type: 'failed'; error: string };

export interface Worker<Info> {
  pid: number;
  info: Info;
  /** Calls one of the worker's named functions; rejects after `timeoutMs` (default 30 s). */
  call<T>(name: string, args?: unknown, timeoutMs?: number): Promise<T>;
  /** Resident set size now, in bytes. */
  rss(): Promise<number>;
  /** Asks the worker to stop, then kills it after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Runs bench/workers/<name>.ts in its own node process (tsx, like bin/aftercare.js), so what it
 * costs in CPU and memory is its own. Its stderr (JSON logs) is kept for error messages only. `env`
 * is added to this process's environment for it.
 */
export async function startWorker<Info>(
  name: string,
  options: unknown,
  startTimeoutMs = 60_000,
  env: Record<string, string> = {},
) {
  const file = fileURLToPath(new URL(`./workers/${name}.ts`, import.meta.url));
  // BENCH_EDGE_NODE_FLAGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the edge worker (likewise
  // BENCH_BROKER_NODE_FLAGS, BENCH_SIMULATOR_NODE_FLAGS): profile before optimising.
  const nodeFlags =
    process.env[`BENCH_${name.toUpperCase().replaceAll('-', '_')}_NODE_FLAGS`]
      ?.split(/\s+/)
      .filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeFlags, RUN_TS, file], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...env },
  });
  const tail = keepTail(child);
  track(child);
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('message', (message: FromWorker) => {
    if (message.type !== 'result') return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiter?.reject(new Error(`worker ${name}: ${message.error}`));
    else waiter?.resolve(message.value);
  });
  child.once('exit', (code, signal) => {
    for (const waiter of pending.values())
      waiter.reject(new Error(`worker ${name} exited (${code ?? signal}): ${tail()}`));
    pending.clear();
  });
  const info = await new Promise<Info>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker ${name} not ready in ${startTimeoutMs} ms`)),
      startTimeoutMs,
    );
    child.on('message', (message: FromWorker) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message.info as Info);
      } else if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`worker ${name} failed to start: ${message.error}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker ${name} exited with ${code} before it was ready: ${tail()}`));
    });
    child.send({ type: 'start', options } satisfies ToWorker);
  }).catch(async (error: unknown) => {
    await kill(child, exited, 2000);
    throw error;
  });
  const worker: Worker<Info> = {
    pid: child.pid!,
    info,
    call<T>(callName: string, args?: unknown, timeoutMs = 30_000) {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`worker ${name}: ${callName} took over ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v as T);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        child.send({ type: 'call', id, name: callName, args } satisfies ToWorker);
      });
    },
    rss: () => rssBytes(child.pid!),
    async stop(graceMs = 10_000) {
      if (child.connected) child.send({ type: 'stop' } satisfies ToWorker);
      await kill(child, exited, graceMs);
    },
  };
  return worker;
}

/** VmRSS of a process from /proc/<pid>/status, in bytes. */
export async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/** Starts an outside program (mbpoll, the server CLI) and tracks it for clean-up on exit. */
export function startProgram(
  command: string,
  args: string[],
  env?: NodeJS.ProcessEnv,
  /** A file descriptor for stdout; default a pipe. */
  stdoutFd?: number,
): ChildProcess {
  const child = spawn(command, args, {
    cwd: ROOT,
    stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'],
    env: env ?? process.env,
  });
  // Read stderr all along (a full pipe would stall the program) and keep its end for errors.
  tails.set(child, keepTail(child));
  track(child);
  return child;
}

const tails = new WeakMap<ChildProcess, () => string>();

/** The last few kB a program started by startProgram wrote to stderr. */
export function programStderr(child: ChildProcess): string {
  return tails.get(child)?.() ?? '';
}

/** Ends a program: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopProgram(child: ChildProcess, graceMs = 5000): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await kill(child, exited, graceMs);
}

async function kill(child: ChildProcess, exited: Promise<void>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

function keepTail(child: ChildProcess, limit = 3000): () => string {
  let text = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-limit);
  });
  return () => text;
}

const live = new Set<ChildProcess>();

function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
}

/** Kills whatever a failed or interrupted section left running (each by its own pid). */
export function killLeftovers(): void {
  for (const child of live) child.kill('SIGKILL');
}

/**
 * One process's /proc/<pid>/stat: its command name, and the fields after it (which start after the
 * last ')', the name may hold spaces), numbered from 0 = state (so 1 = ppid, 11/12 = utime/stime,
 * 13/14 = the ended children's).
 */
async function procStat(pid: number | string): Promise<{ comm: string; fields: string[] }> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const end = stat.lastIndexOf(')');
  return { comm: stat.slice(stat.indexOf('(') + 1, end), fields: stat.slice(end + 2).split(' ') };
}

/** Every process on the machine, as its pid and stat; ones that end while being read are skipped. */
async function* allProcesses(): AsyncGenerator<{ pid: number; comm: string; fields: string[] }> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await procStat(entry).catch(() => undefined);
    if (stat) yield { pid: Number(entry), ...stat };
  }
}

/** CPU time (user + system) a process has used so far, in seconds (/proc/<pid>/stat). */
export async function cpuSeconds(pid: number): Promise<number> {
  const { fields } = await procStat(pid);
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** USER_HZ: 100 on every Linux build node runs on here. */
const CLOCK_TICKS = 100;

/**
 * Every process named `comm` on the machine (e.g. `postgres`: its postmaster and backends), with the
 * CPU seconds each used (its own, and its ended children's) and its proportional set size (shared
 * memory split between the processes that map it, so the sum is not counted twice). Bytes, seconds.
 */
export async function processesNamed(comm: string): Promise<{ cpuSeconds: number; pssBytes: number }> {
  let cpu = 0;
  let pss = 0;
  for await (const { pid, comm: name, fields } of allProcesses()) {
    if (name !== comm) continue;
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => undefined);
    if (rollup === undefined) continue; // ended while we looked
    cpu += (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
    pss += Number(/^Pss:\s+(\d+) kB$/m.exec(rollup)?.[1] ?? 0) * 1024;
  }
  return { cpuSeconds: cpu, pssBytes: pss };
}

/** Pids of this process's direct children whose command name is `comm` (e.g. a launcher's mosquitto). */
export async function childPidsNamed(comm: string): Promise<number[]> {
  const pids: number[] = [];
  for await (const { pid, comm: name, fields } of allProcesses()) {
    if (name === comm && Number(fields[1]) === process.pid) pids.push(pid);
  }
  return pids;
}
