import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../../core/net.ts';
import { stopChild, tailOf, waitUntil } from './child-process.ts';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';

export interface RunningPostgres {
  /** Connection URL, e.g. postgres://postgres@127.0.0.1:41234/postgres */
  url: string;
  stop(): Promise<void>;
  /** Stops the server (its clients see the connection drop), waits `downMs`, starts it again. */
  outage(downMs: number): Promise<void>;
}

/** Runs a command as the `postgres` user when we are root (PostgreSQL refuses to run as root). */
function asPostgres(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() === 0) return ['runuser', ['-u', 'postgres', '--', command, ...args]];
  return [command, args];
}

/**
 * Starts Debian's PostgreSQL 15 on a free loopback port with its data dir and socket in a temp dir,
 * trust auth for loopback only; resolves once it answers `select 1`.
 */
export async function startPostgres(timeoutMs = 30_000): Promise<RunningPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'aftercare-pg-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const port = await freePort();
  const [initCommand, initArgs] = asPostgres(`${BIN}/initdb`, [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  try {
    await run(initCommand, initArgs);
    // pg_hba from initdb with --auth=trust allows local and host; restrict to loopback explicitly.
    await writeFile(
      join(data, 'pg_hba.conf'),
      'local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n',
    );
    if (process.getuid?.() === 0) await run('chown', ['postgres:postgres', join(data, 'pg_hba.conf')]);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(error as Error).message}`);
  }
  const [command, args] = asPostgres(`${BIN}/postgres`, [
    '-D',
    data,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${dir}`,
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=60',
  ]);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let child: ChildProcess;
  let stderr: () => string = () => '';
  /** Starts the server on the data dir and waits until it answers. */
  const launch = async () => {
    child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    stderr = tailOf(child.stderr);
    await waitUntil(
      'postgres',
      async () => {
        const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
        try {
          await client.connect();
          await client.query('select 1');
          return true;
        } finally {
          await client.end().catch(() => {});
        }
      },
      child,
      timeoutMs,
    );
  };
  /** Fast shutdown (clients are disconnected), keeping the data dir. */
  const halt = async () => {
    const [stopCommand, stopArgs] = asPostgres(`${BIN}/pg_ctl`, ['stop', '-D', data, '-m', 'fast', '-w']);
    try {
      if (child.exitCode === null) await run(stopCommand, stopArgs, { timeout: 15_000 });
    } catch {
      // fall through to signals
    }
    await stopChild(child);
  };
  const stop = async () => {
    await halt();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await launch();
    return {
      url,
      stop,
      outage: async (downMs) => {
        await halt();
        await new Promise((resolve) => setTimeout(resolve, downMs));
        await launch();
      },
    };
  } catch (error) {
    await stop();
    throw new Error(`postgres did not start: ${(error as Error).message}\n${stderr()}`);
  }
}
