import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The installed package's root (where package.json names `aftercare`), found from this file's own
 * directory: the same from the TypeScript sources (core/) and from a bundle under dist/<name>/,
 * where `import.meta.dirname` of the bundled code is the bundle's directory.
 */
export const PACKAGE_ROOT = findPackageRoot(import.meta.dirname);

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (
      existsSync(file) &&
      (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === 'aftercare'
    )
      return dir;
    if (dirname(dir) === dir) throw new Error(`no aftercare package.json above ${from}`);
  }
}
