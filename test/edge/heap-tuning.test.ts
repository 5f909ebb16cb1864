import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { fitEdgeHeapToStations, tuneEdgeHeap } from '../../edge/heap-tuning.ts';

const BIN = fileURLToPath(new URL('../../bin/aftercare.js', import.meta.url));

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

/**
 * Runs a hot loop in a fresh node process with the edge's settings applied (or not) and reports
 * whether V8 optimised it with TurboFan (bit 4 of %GetOptimizationStatus) and whether it runs as
 * Sparkplug baseline code (bit 15).
 */
function hotFunctionTier(
  env: Record<string, string>,
  stations?: number,
): { turbofan: boolean; baseline: boolean } {
  const script = `
    const { tuneEdgeHeap, fitEdgeHeapToStations } = await import(${JSON.stringify(new URL('../../edge/heap-tuning.ts', import.meta.url).href)});
    tuneEdgeHeap();
    ${stations === undefined ? '' : `fitEdgeHeapToStations(${stations});`}
    const hot = new Function('a', 'let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * 2; return s;');
    const values = Array.from({ length: 1000 }, (_, i) => i);
    let sum = 0;
    for (let i = 0; i < 100000; i++) sum += hot(values);
    const status = eval('%GetOptimizationStatus(hot)');
    console.log(JSON.stringify({ turbofan: (status & (1 << 4)) !== 0, baseline: (status & (1 << 15)) !== 0, sum }));
  `;
  const run = spawnSync(
    process.execPath,
    ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', script],
    { env: { ...process.env, ...env }, encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout.trim()) as { turbofan: boolean; baseline: boolean };
}

describe('edge heap settings', () => {
  test('hot code stops at the baseline compiler with them, and reaches TurboFan without', () => {
    expect(hotFunctionTier({})).toMatchObject({ turbofan: false, baseline: true });
    expect(hotFunctionTier({ AFTERCARE_EDGE_HEAP: 'fast' })).toMatchObject({ turbofan: true });
    expect(hotFunctionTier({ AFTERCARE_EDGE_HEAP: 'node' })).toMatchObject({ turbofan: true });
  });

  test('auto (the default) stays lean up to 200 stations and lets a fleet edge reach TurboFan', () => {
    expect(hotFunctionTier({}, 200)).toMatchObject({ turbofan: false, baseline: true });
    expect(hotFunctionTier({}, 201)).toMatchObject({ turbofan: true });
    expect(hotFunctionTier({ AFTERCARE_EDGE_HEAP: 'lean' }, 1000)).toMatchObject({ turbofan: false });
    // A --max-opt on node's command line is the operator's choice and stays.
    expect(fitEdgeHeapToStations(1000, {}, ['--max-opt=1'])).toBe(false);
    expect(fitEdgeHeapToStations(1000, { AFTERCARE_EDGE_HEAP: 'fast' }, [])).toBe(false);
  });

  test('the fast mode keeps the heap settings; an unknown mode is refused by name', () => {
    expect(tuneEdgeHeap({ AFTERCARE_EDGE_HEAP: 'node' }, [])).toEqual([]);
    expect(() => tuneEdgeHeap({ AFTERCARE_EDGE_HEAP: 'tiny' }, [])).toThrow(
      'AFTERCARE_EDGE_HEAP=tiny: expected one of auto, lean, fast, node',
    );
    expect(youngGenerationKb({ AFTERCARE_EDGE_HEAP: 'fast' })).toBeLessThanOrEqual(4096);
  });

  test('aftercare edge with an unknown mode exits 2 with a one-line error', () => {
    const run = spawnSync(process.execPath, [BIN, 'edge', '--help'], {
      env: { ...process.env, AFTERCARE_EDGE_HEAP: 'tiny' },
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(
      'aftercare edge: AFTERCARE_EDGE_HEAP=tiny: expected one of auto, lean, fast, node',
    );
  });

  test('applied from inside the process, they keep the young generation at its first size', () => {
    const tuned = youngGenerationKb({});
    const defaults = youngGenerationKb({ AFTERCARE_EDGE_HEAP: 'node' });
    console.log(`young generation: ${tuned} kB tuned, ${defaults} kB with V8's defaults`);
    expect(tuned).toBeLessThanOrEqual(4096);
    expect(defaults).toBeGreaterThanOrEqual(4 * tuned);
  });
});
