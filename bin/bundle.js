#!/usr/bin/env node
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
// The prebuilt `aftercare edge` and `aftercare server`: each command's entry (cli/edge-main.ts,
// cli/server-main.ts) and everything it imports, bundled by esbuild into one JavaScript file under
// dist/<name>/ (gitignored), so the long-running processes run without tsx. Run as a script
// (`node bin/bundle.js [edge|server ...]`) it (re)builds them; bin/aftercare.js imports `bundleIsFresh`
// to check one before each start.
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// The build depends on this file's options and on esbuild itself, besides the sources.
const BUILDER_FILES = [fileURLToPath(import.meta.url), 'esbuild/package.json'];

// Native addons (and the packages that find their binaries relative to their own files) cannot be
// bundled; they are imported from node_modules at run time. Everything else is bundled: one module
// instead of ~300 held ~2 MB less heap at 100 stations than the same build with dependencies external.
const NATIVE = ['serialport', '@serialport/*', 'classic-level', 'level'];

/**
 * What each bundle is built from. The server's also leaves out packages that read their own files
 * at run time relative to where they are installed: Node-RED (its nodes, editor and locales),
 * PGlite (its WebAssembly and data files), PDFKit (its font metrics), socket.io (the client it
 * serves), pino (its worker transports), and the optional native helpers some packages try.
 */
export const BUNDLES = {
  edge: {
    entry: 'cli/edge-main.ts',
    out: 'dist/edge/aftercare-edge.mjs',
    external: NATIVE,
    sourcemap: 'linked',
  },
  server: {
    entry: 'cli/server-main.ts',
    // Not linked from the bundle: something Node-RED loads turns source maps on for the process, and
    // Node then held the 11 MB map parsed in the heap (~100 MB). Stack traces name the bundle's
    // functions; AFTERCARE_FROM_SOURCE=1 runs the TypeScript with its own lines.
    sourcemap: 'external',
    out: 'dist/server/aftercare-server.mjs',
    external: [
      ...NATIVE,
      'node-red',
      '@electric-sql/pglite',
      '@electric-sql/pglite/*',
      'pdfkit',
      'socket.io',
      'pino',
      '@node-rs/*',
      'pg-native',
      'bufferutil',
      'utf-8-validate',
    ],
  },
};

export const bundlePath = (name) => join(ROOT, BUNDLES[name].out);
const manifestFile = (name) => join(dirname(bundlePath(name)), 'manifest.json');

/**
 * Whether the bundle exists and every file it was built from (sources and bundled dependencies,
 * from esbuild's metafile) still has the size and mtime it had then. Costs one stat per input.
 */
export function bundleIsFresh(name) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile(name), 'utf8'));
    statSync(bundlePath(name));
  } catch {
    return false;
  }
  if (manifest.entry !== BUNDLES[name].entry) return false;
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
export async function buildBundle(name) {
  const { entry, external, sourcemap } = BUNDLES[name];
  const bundle = bundlePath(name);
  const esbuild = await import('esbuild');
  const outDir = dirname(bundle);
  await mkdir(dirname(outDir), { recursive: true });
  const tmpDir = await mkdtemp(`${outDir}.tmp-`);
  try {
    const result = await esbuild
      .build({
        absWorkingDir: ROOT,
        entryPoints: [entry],
        outfile: join(tmpDir, basename(bundle)),
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        external,
        // Whitespace and syntax only: names stay, so stack traces still read; V8 keeps the whole source
        // in the heap, and without comments it is ASCII (one byte a character instead of two).
        minifyWhitespace: true,
        minifySyntax: true,
        legalComments: 'linked',
        sourcemap,
        metafile: true,
        logLevel: 'silent',
        // Bundled CommonJS packages call require() for Node's built-ins; an ES module has none.
        banner: {
          js: "import { createRequire as __aftercareRequire } from 'node:module'; const require = __aftercareRequire(import.meta.url);",
        },
      })
      .finally(() => esbuild.stop());
    escapeNonAsciiFile(join(tmpDir, basename(bundle)));
    const inputs = {};
    const require = createRequire(import.meta.url);
    const builders = BUILDER_FILES.map((file) => (isAbsolute(file) ? file : require.resolve(file)));
    for (const file of [...Object.keys(result.metafile.inputs).map((f) => join(ROOT, f)), ...builders]) {
      const { size, mtimeMs } = statSync(file);
      inputs[relative(ROOT, file)] = { size, mtimeMs };
    }
    writeFileSync(join(tmpDir, 'manifest.json'), `${JSON.stringify({ entry, inputs }, null, 1)}\n`);
    await mkdir(outDir, { recursive: true });
    const rank = (file) => (file === 'manifest.json' ? 2 : file === basename(bundle) ? 1 : 0);
    // Rename order: companions, then the bundle, then the manifest that vouches for them.
    const files = readdirSync(tmpDir).sort((a, b) => rank(a) - rank(b));
    for (const file of files) renameSync(join(tmpDir, file), join(outDir, file));
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
}

/**
 * esbuild escapes non-ASCII characters in strings and identifiers but not in regular expression
 * literals (a Chinese keyword in one, a micro sign in a dependency's), and one such character makes V8 hold
 * the whole source as a two-byte string: the server's 5 MB bundle took 10 MB of heap. A \uXXXX escape
 * means the same character in a regular expression as in a string, with or without the u flag (an
 * astral character as its surrogate pair). Columns on the lines changed shift in the source map.
 */
export function escapeNonAscii(source) {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the range is every non-ASCII code unit
  return source.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function escapeNonAsciiFile(file) {
  const source = readFileSync(file, 'utf8');
  const escaped = escapeNonAscii(source);
  if (escaped !== source) writeFileSync(file, escaped);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const names = process.argv.slice(2);
  for (const name of names.length ? names : Object.keys(BUNDLES)) {
    if (!(name in BUNDLES)) {
      console.error(`bin/bundle.js: no bundle "${name}" (${Object.keys(BUNDLES).join(', ')})`);
      process.exit(2);
    }
    await buildBundle(name);
  }
}
