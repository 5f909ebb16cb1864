import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { YOUNG_GENERATION_CAP_BYTES } from '../../server/heap-tuning.ts';

/**
 * In a fresh node process (flags set in this test's worker would stay set for the others): applies
 * the server's heap settings or not, allocates ~200 MB of short-lived objects with some survivors,
 * as a busy server does, and reports the young generation's size and what was applied.
 */
function youngGeneration(tune: boolean, nodeArgs: string[] = []): { bytes: number; applied: string[] } {
  const script = `
    const { tuneServerHeap } = await import(${JSON.stringify(new URL('../../server/heap-tuning.ts', import.meta.url).href)});
    const v8 = await import('node:v8');
    const applied = ${tune ? 'tuneServerHeap()' : '[]'};
    let keep = [];
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 50000; i++) {
        const o = { i, text: 'reading ' + i, a: [i, i + 1] };
        if (i % 4 === 0) keep.push(o);
        if (keep.length > 60000) keep = keep.slice(30000);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    console.log(JSON.stringify({ bytes: young.space_size, applied }));
  `;
  const run = spawnSync(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', '--input-type=module', '-e', script],
    {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    },
  );
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout.trim());
}

describe("the server's heap settings", () => {
  test('hold the young generation to its cap where V8 would grow it further', () => {
    const v8Default = youngGeneration(false);
    const tuned = youngGeneration(true);
    expect(v8Default.bytes).toBeGreaterThan(YOUNG_GENERATION_CAP_BYTES);
    expect(tuned.bytes).toBeLessThanOrEqual(YOUNG_GENERATION_CAP_BYTES);
    expect(tuned.bytes).toBeGreaterThanOrEqual(YOUNG_GENERATION_CAP_BYTES / 2);
    expect(tuned.applied).toEqual([
      '--heap-growing-percent=25',
      'young generation <= 16 MiB',
      'compaction every 8 full collections',
    ]);
  });

  test("leave the young generation alone when node's command line sizes it", () => {
    const given = youngGeneration(true, ['--max-semi-space-size=16']);
    expect(given.applied).toEqual(['--heap-growing-percent=25', 'compaction every 8 full collections']);
    expect(given.bytes).toBeGreaterThan(YOUNG_GENERATION_CAP_BYTES);
  });

  test('compact the old generation at every Nth full collection', () => {
    // Fragments the old generation (1 object in 16 survives each round) under full collections, and
    // counts the old-generation pages V8 evacuated (compacted): with compaction every 2nd collection
    // it must evacuate far more than its own heuristics do.
    const script = `
      const { compactEveryNthFullGc } = await import(${JSON.stringify(new URL('../../server/heap-tuning.ts', import.meta.url).href)});
      if (process.argv.includes('tuned')) compactEveryNthFullGc(2);
      const keep = [];
      for (let round = 0; round < 12; round++) {
        const batch = [];
        for (let i = 0; i < 200000; i++) batch.push({ i, s: 'x' + i, a: [i] });
        globalThis.gc();
        for (let i = 0; i < batch.length; i += 16) keep.push(batch[i]);
        batch.length = 0;
        globalThis.gc();
        await new Promise((resolve) => setImmediate(resolve));
      }
      console.log(keep.length);
    `;
    const evacuatedPages = (mode: string) => {
      const run = spawnSync(
        process.execPath,
        ['--expose-gc', '--trace-evacuation', '--import', 'tsx', '--input-type=module', '-e', script, mode],
        { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, maxBuffer: 64 * 1024 * 1024 },
      );
      if (run.status !== 0) throw new Error(run.stderr);
      return run.stdout.split('\n').filter((line) => line.includes('new_space=0 page_evacuation=0')).length;
    };
    const plain = evacuatedPages('plain');
    const tuned = evacuatedPages('tuned');
    expect(plain).toBeGreaterThan(0);
    expect(tuned).toBeGreaterThan(2 * plain);
  });
});
