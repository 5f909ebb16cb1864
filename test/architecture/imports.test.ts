import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { type ImportEdge, importEdges, importSpecifiers, topFolder } from '../support/import-graph.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const edges = importEdges(ROOT);

describe('import specifiers', () => {
  test.each([
    ["import { a } from './a.ts';", ['./a.ts']],
    ["import type { A } from '../b.ts';", ['../b.ts']],
    ["import {\n  a,\n  type B,\n} from '../../c.ts';", ['../../c.ts']],
    ["export * from '../../core/x.ts';", ['../../core/x.ts']],
    ["export { a, type B } from './y.ts';", ['./y.ts']],
    ["import './styles.css';", ['./styles.css']],
    ["const m = await import('../z.ts');", ['../z.ts']],
    ["import express, { Router } from 'express';", ['express']],
    ["// import { no } from '../../server/x.ts';\nconst a = 1;", []],
    ["/* import { no } from '../server/x.ts'; */", []],
    ["const url = 'http://host/a'; // from './not-an-import'", []],
  ])('%j', (source, expected) => {
    expect(importSpecifiers(source)).toEqual(expected);
  });
});

/** Which folders a folder may import from (packages are always allowed). */
const RULES: Array<[string, (edge: ImportEdge) => boolean]> = [
  [
    'dashboards/ imports only core/ and itself',
    (e) => topFolder(e.from) !== 'dashboards' || ['dashboards', 'core'].includes(topFolder(e.to!)),
  ],
  ['core/ imports nothing outside core/', (e) => topFolder(e.from) !== 'core' || topFolder(e.to!) === 'core'],
  [
    'server/, edge/, broker/ and simulators/ do not import cli/',
    (e) =>
      !['server', 'edge', 'broker', 'simulators'].includes(topFolder(e.from)) || topFolder(e.to!) !== 'cli',
  ],
  [
    'server/ does not import simulators/',
    (e) => topFolder(e.from) !== 'server' || topFolder(e.to!) !== 'simulators',
  ],
];

describe('the import graph', () => {
  test('finds the files and their imports', () => {
    const relativeEdges = edges.filter((e) => e.to !== undefined);
    const folders = new Set(edges.map((e) => topFolder(e.from)));
    for (const folder of ['core', 'server', 'dashboards', 'edge', 'broker', 'simulators', 'cli', 'test'])
      expect(folders.has(folder), folder).toBe(true);
    expect(relativeEdges.length).toBeGreaterThan(500);
    // The graph reads the files as they are: a known import of the dashboards on core is among them.
    expect(relativeEdges).toContainEqual(
      expect.objectContaining({ from: 'dashboards/app/lib/workflow.ts', to: 'core/tickets/workflow.ts' }),
    );
  });

  test.each(RULES)('%s', (_rule, allowed) => {
    const broken = edges
      .filter((e) => e.to !== undefined && !allowed(e))
      .map((e) => `${e.from} imports ${e.specifier}`);
    expect(broken).toEqual([]);
  });
});
