#!/usr/bin/env node
// The package's bin. `aftercare edge` and `aftercare server` run prebuilt JavaScript bundles
// (bin/bundle.js), rebuilt first when missing or older than their sources: tsx costs a long-running
// process ~40 MB of RSS, and its esbuild service child ~12 MB more. Every other command registers tsx
// and runs the TypeScript sources. AFTERCARE_FROM_SOURCE=1 (or AFTERCARE_EDGE_FROM_SOURCE=1 for the
// edge) runs them through tsx too.
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const command = process.argv[2];
const bundled = { edge: 'AFTERCARE_EDGE_FROM_SOURCE', server: 'AFTERCARE_FROM_SOURCE' };
const fromSource = process.env.AFTERCARE_FROM_SOURCE === '1' || process.env[bundled[command] ?? ''] === '1';

if (command in bundled && !fromSource) {
  const bundle = await prebuilt(command);
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

/** The bundle's path, built first if needed (in a child process that ends before the command starts); undefined if it cannot be. */
async function prebuilt(name) {
  const { bundlePath, bundleIsFresh } = await import('./bundle.js');
  if (bundleIsFresh(name)) return bundlePath(name);
  try {
    execFileSync(process.execPath, [fileURLToPath(new URL('./bundle.js', import.meta.url)), name], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 120_000,
    });
    return bundlePath(name);
  } catch (error) {
    const lines = String(error.stderr || error.message)
      .trim()
      .split('\n');
    // Node prints the failing source line first; the error's own line says what went wrong.
    const why = lines.find((line) => /^\w*Error\b/.test(line)) ?? lines.slice(0, 3).join(' | ');
    // A log line as the command's own (JSON on stderr), then it runs from source through tsx.
    console.error(
      JSON.stringify({
        level: 40,
        time: Date.now(),
        component: 'launcher',
        msg: `cannot build dist/${name} (${why}); running ${name} from its TypeScript sources through tsx`,
      }),
    );
    return undefined;
  }
}
