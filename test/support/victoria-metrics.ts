import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../core/net.ts';
import { stopChild, tailOf, waitUntil } from './child-process.ts';

export interface RunningVictoriaMetrics {
  url: string;
  /** Every sample of the series whose metric name matches the regex, via the export API. */
  exportSeries(
    nameRegex: string,
  ): Promise<Array<{ metric: Record<string, string>; values: number[]; timestamps: number[] }>>;
  stop(): Promise<void>;
}

/**
 * Debian's victoria-metrics: a real server that accepts InfluxDB's `/api/v2/write` line protocol,
 * used to test the v2 write path (Debian has no InfluxDB 2.x).
 */
export async function startVictoriaMetrics(timeoutMs = 15_000): Promise<RunningVictoriaMetrics> {
  const dir = await mkdtemp(join(tmpdir(), 'aftercare-vm-'));
  const port = await freePort();
  const child = spawn(
    '/usr/bin/victoria-metrics',
    [
      `-httpListenAddr=127.0.0.1:${port}`,
      `-storageDataPath=${dir}`,
      '-loggerLevel=ERROR',
      // Make freshly written samples visible to the export API at once.
      '-search.latencyOffset=0s',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const stderr = tailOf(child.stderr);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(
      'victoria-metrics',
      async () => ((await fetch(`${url}/health`)).ok ? true : undefined),
      child,
      timeoutMs,
    );
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${stderr()}`);
  }
  return {
    url,
    stop,
    async exportSeries(nameRegex) {
      await fetch(`${url}/internal/force_flush`);
      const body = new URLSearchParams({ 'match[]': `{__name__=~"${nameRegex}"}` });
      const response = await fetch(`${url}/api/v1/export`, { method: 'POST', body });
      const text = await response.text();
      return text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line));
    },
  };
}
