#!/usr/bin/env node
// The package's bin. `aftercare edge` runs the prebuilt JavaScript bundle (bin/edge-bundle.js),
// rebuilt first when missing or older than its sources: tsx costs a long-running process ~40 MB of
// RSS, and its esbuild service child ~12 MB more. Every other command registers tsx and runs the
// TypeScript sources. AFTERCARE_EDGE_FROM_SOURCE=1 runs the edge through tsx too.
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

if (process.argv[2] === 'edge' && process.env.AFTERCARE_EDGE_FROM_SOURCE !== '1') {
  const bundle = await prebuiltEdge();
  if (bundle) {
    await import(pathToFileURL(bundle).href);
  } else {
    await runFromSource();
  }
} else {
  await runFromSource();
}

async function runFromSource() {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
}

/** The bundle's path, built first if needed (in a child process that ends before the edge starts); undefined if it cannot be. */
async function prebuiltEdge() {
  const { EDGE_BUNDLE, edgeBundleIsFresh } = await import('./edge-bundle.js');
  if (edgeBundleIsFresh()) return EDGE_BUNDLE;
  try {
    execFileSync(process.execPath, [fileURLToPath(new URL('./edge-bundle.js', import.meta.url))], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 120_000,
    });
    return EDGE_BUNDLE;
  } catch (error) {
    const lines = String(error.stderr || error.message)
      .trim()
      .split('\n');
    // Node prints the failing source line first; the error's own line says what went wrong.
    const why = lines.find((line) => /^\w*Error\b/.test(line)) ?? lines.slice(0, 3).join(' | ');
    // A log line as the edge's own (JSON on stderr), then the edge runs from source through tsx.
    console.error(
      JSON.stringify({
        level: 40,
        time: Date.now(),
        component: 'launcher',
        msg: `cannot build dist/edge (${why}); running the edge from its TypeScript sources through tsx`,
      }),
    );
    return undefined;
  }
}
