#!/usr/bin/env node
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
// The prebuilt `aftercare edge`: cli/edge-main.ts and everything it imports, bundled by esbuild into
// one JavaScript file under dist/edge/ (gitignored), so the edge runs without tsx. Run as a script it
// (re)builds the bundle; bin/aftercare.js imports `edgeBundleIsFresh` to check it before each start.
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = 'cli/edge-main.ts';
export const EDGE_BUNDLE = join(ROOT, 'dist/edge/aftercare-edge.mjs');
const MANIFEST = join(ROOT, 'dist/edge/manifest.json');
// The build depends on this file's options and on esbuild itself, besides the sources.
const BUILDER_FILES = [fileURLToPath(import.meta.url), 'esbuild/package.json'];

// Native addons (and the packages that find their binaries relative to their own files) cannot be
// bundled; they are imported from node_modules at run time. Everything else is bundled: one module
// instead of ~300 held ~2 MB less heap at 100 stations than the same build with dependencies external.
const EXTERNAL = ['serialport', '@serialport/*', 'classic-level', 'level'];

/**
 * Whether the bundle exists and every file it was built from (sources and bundled dependencies,
 * from esbuild's metafile) still has the size and mtime it had then. Costs one stat per input.
 */
export function edgeBundleIsFresh() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    statSync(EDGE_BUNDLE);
  } catch {
    return false;
  }
  for (const [file, seen] of Object.entries(manifest.inputs ?? {})) {
    let now;
    try {
      now = statSync(join(ROOT, file));
    } catch {
      return false;
    }
    if (now.size !== seen.size || now.mtimeMs !== seen.mtimeMs) return false;
  }
  return Object.keys(manifest.inputs ?? {}).length > 0;
}

/**
 * Builds the bundle, its source map (for `node --enable-source-maps`) and its licence comments into a
 * temporary directory, then renames them into place, so a concurrent start never reads a half-written
 * file. The manifest goes last: a build that stops half way leaves the old one, and the next start
 * rebuilds.
 */
export async function buildEdgeBundle() {
  const esbuild = await import('esbuild');
  const outDir = dirname(EDGE_BUNDLE);
  await mkdir(dirname(outDir), { recursive: true });
  const tmpDir = await mkdtemp(`${outDir}.tmp-`);
  try {
    const result = await esbuild
      .build({
        absWorkingDir: ROOT,
        entryPoints: [ENTRY],
        outfile: join(tmpDir, basename(EDGE_BUNDLE)),
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        external: EXTERNAL,
        // Whitespace and syntax only: names stay, so stack traces still read; V8 keeps the whole source
        // in the heap, and without comments it is ASCII (one byte a character instead of two).
        minifyWhitespace: true,
        minifySyntax: true,
        legalComments: 'linked',
        sourcemap: 'linked',
        metafile: true,
        logLevel: 'silent',
        // Bundled CommonJS packages call require() for Node's built-ins; an ES module has none.
        banner: {
          js: "import { createRequire as __aftercareRequire } from 'node:module'; const require = __aftercareRequire(import.meta.url);",
        },
      })
      .finally(() => esbuild.stop());
    const inputs = {};
    const require = createRequire(import.meta.url);
    const builders = BUILDER_FILES.map((file) => (isAbsolute(file) ? file : require.resolve(file)));
    for (const file of [...Object.keys(result.metafile.inputs).map((f) => join(ROOT, f)), ...builders]) {
      const { size, mtimeMs } = statSync(file);
      inputs[relative(ROOT, file)] = { size, mtimeMs };
    }
    writeFileSync(join(tmpDir, basename(MANIFEST)), `${JSON.stringify({ entry: ENTRY, inputs }, null, 1)}\n`);
    await mkdir(outDir, { recursive: true });
    const files = readdirSync(tmpDir).sort((a, b) => rank(a) - rank(b));
    for (const file of files) renameSync(join(tmpDir, file), join(outDir, file));
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
}

/** Rename order: companions, then the bundle, then the manifest that vouches for them. */
function rank(file) {
  if (file === basename(MANIFEST)) return 2;
  return file === basename(EDGE_BUNDLE) ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildEdgeBundle();
}
