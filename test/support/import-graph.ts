import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

/** Folders that hold no source of ours. */
const SKIP = new Set(['node_modules', 'dist', 'data', 'coverage', 'test-output', '.git']);

/**
 * The module specifiers a TypeScript file imports or re-exports: `import ... from`, `import '...'`,
 * `export ... from`, `import('...')` and `import type`. Pure.
 */
export function importSpecifiers(source: string): string[] {
  // Comments could hold example imports; strings are left alone (the specifiers are strings).
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) found.push(match[1]!);
  return found;
}

export interface ImportEdge {
  /** Repository-relative path of the importing file, with / separators. */
  from: string;
  specifier: string;
  /** Repository-relative path a relative specifier points at; undefined for packages. */
  to: string | undefined;
}

function sourceFiles(root: string, folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = folder ? `${folder}/${entry.name}` : entry.name;
    if (entry.isDirectory())
      return SKIP.has(entry.name) || entry.name.startsWith('.') ? [] : sourceFiles(root, path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every import of every .ts/.tsx file under `root`. */
export function importEdges(root: string): ImportEdge[] {
  return sourceFiles(root, '').flatMap((file) =>
    importSpecifiers(readFileSync(join(root, file), 'utf8')).map((specifier) => ({
      from: file,
      specifier,
      to: specifier.startsWith('.')
        ? relative(root, normalize(join(root, dirname(file), specifier)))
            .split(sep)
            .join('/')
        : undefined,
    })),
  );
}

/** The top folder of a repository-relative path (`server/http/app.ts` -> `server`). */
export const topFolder = (path: string) => path.split('/')[0]!;
