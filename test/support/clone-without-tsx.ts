import { cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * This checkout as after `npm ci` in a fresh clone, for the prebuilt bundles' tests: a copy of the
 * given source folders (no dist/) with package.json and tsconfig.json, and a node_modules with every
 * package but tsx, so a command that fell back to the TypeScript sources would fail instead of
 * passing unnoticed. Returns the clone's directory; the caller removes it.
 */
export function cloneWithoutTsx(dirs: readonly string[], prefix: string): string {
  const repo = resolve('.');
  const clone = mkdtempSync(join(tmpdir(), prefix));
  for (const dir of dirs) cpSync(join(repo, dir), join(clone, dir), { recursive: true });
  for (const file of ['package.json', 'tsconfig.json']) cpSync(join(repo, file), join(clone, file));
  mkdirSync(join(clone, 'node_modules'));
  for (const name of readdirSync(join(repo, 'node_modules'))) {
    if (name === 'tsx' || name === '.bin') continue;
    symlinkSync(join(repo, 'node_modules', name), join(clone, 'node_modules', name));
  }
  return clone;
}
