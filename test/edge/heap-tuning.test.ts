import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';

/**
 * Runs in a fresh node process (flags set in this test's worker would stay set for the others):
 * applies the edge's heap settings, allocates 60 MB of short-lived objects with some survivors, and
 * reports the young generation's size. V8's default grows it to 2 x 16 MB under that load.
 */
function youngGenerationKb(env: Record<string, string>): number {
  const script = `
    const { tuneEdgeHeap } = await import(${JSON.stringify(new URL('../../edge/heap-tuning.ts', import.meta.url).href)});
    const v8 = await import('node:v8');
    tuneEdgeHeap();
    const keep = [];
    for (let i = 0; i < 1e6; i++) {
      const o = { i, a: [i, i + 1, i + 2] };
      if (i % 10 === 0) keep.push(o);
      if (keep.length > 20000) keep.splice(0, 5000);
    }
    const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    console.log(Math.round(young.space_size / 1024));
  `;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return Number(run.stdout.trim());
}

describe('edge heap settings', () => {
  test('applied from inside the process, they keep the young generation at its first size', () => {
    const tuned = youngGenerationKb({});
    const defaults = youngGenerationKb({ AFTERCARE_EDGE_HEAP: 'node' });
    console.log(`young generation: ${tuned} kB tuned, ${defaults} kB with V8's defaults`);
    expect(tuned).toBeLessThanOrEqual(4096);
    expect(defaults).toBeGreaterThanOrEqual(4 * tuned);
  });
});
