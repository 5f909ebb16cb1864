import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild } from '../support/child-process.ts';

export interface SerialPair {
  /** One end of the linked pseudo-terminals (a symlink to /dev/pts/N). */
  a: string;
  /** The other end: what is written to one is read from the other. */
  b: string;
  stop(): Promise<void>;
}

/**
 * Two linked pseudo-terminals from Debian's socat (raw, no echo): a serial cable in software, so a
 * Modbus RTU master and slave talk through real tty devices, termios settings and all.
 */
export async function startSerialPair(startTimeoutMs = 5000): Promise<SerialPair> {
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-serial-'));
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  const child = spawn(
    '/usr/bin/socat',
    ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const stop = async () => {
    await stopChild(child, 3000);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + startTimeoutMs;
  // socat logs "starting data transfer loop" once both ends exist and it relays between them.
  while (!(existsSync(a) && existsSync(b) && stderr.includes('starting data transfer loop'))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`socat did not link two pseudo-terminals within ${startTimeoutMs} ms:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { a, b, stop };
}
