import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../core/net.ts';
import { programStderr, startProgram, stopProgram } from './child.ts';
import { sleep } from './options.ts';

const RED = fileURLToPath(new URL('../node_modules/node-red/red.js', import.meta.url));

export interface DiyNodeRed {
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Node-RED 4.1 as a plant engineer runs it (`node-red`, its own user directory, the editor on),
 * with `flow` deployed from its flow file. The contrib nodes are found beside node-red in
 * node_modules (dev dependencies). Ready once the admin API lists the flow's nodes.
 */
export async function startDiyNodeRed(dir: string, flow: object[]): Promise<DiyNodeRed> {
  const port = await freePort();
  await writeFile(join(dir, 'flows.json'), JSON.stringify(flow));
  await writeFile(
    join(dir, 'settings.cjs'),
    `module.exports = ${JSON.stringify({
      uiHost: '127.0.0.1',
      uiPort: port,
      flowFile: 'flows.json',
      credentialSecret: false,
      logging: { console: { level: 'warn' } },
      editorTheme: { projects: { enabled: false } },
      diagnostics: { enabled: false },
      telemetry: { enabled: false },
    })};\n`,
  );
  const child = startProgram(process.execPath, [
    RED,
    '--userDir',
    dir,
    '--settings',
    join(dir, 'settings.cjs'),
  ]);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`node-red exited with ${child.exitCode}: ${programStderr(child)}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/flows`, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(2000),
      });
      if (response.ok && ((await response.json()) as unknown[]).length >= flow.length) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopProgram(child);
      throw new Error(`node-red not up within 60 s: ${programStderr(child)}`);
    }
    await sleep(300);
  }
  return { child, stop: () => stopProgram(child, 10_000) };
}
