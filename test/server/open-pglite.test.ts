import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { openPglite } from '../../server/db/open-pglite.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

test('a database created in a new directory is usable at once and keeps its rows when opened again', async () => {
  const dir = join(await mkdtemp(join(tmpdir(), 'aftercare-pglite-')), 'service');
  dirs.push(dir);
  const created = await openPglite(dir);
  await created.exec('CREATE TABLE t (a int); INSERT INTO t VALUES (1), (2);');
  const settings = await created.query<{ sb: string }>("SELECT current_setting('shared_buffers') AS sb");
  expect(settings.rows[0]!.sb).toBe('16MB');
  await created.close();
  const reopened = await openPglite(dir);
  expect((await reopened.query<{ n: number }>('SELECT count(*)::int AS n FROM t')).rows[0]!.n).toBe(2);
  await reopened.close();
});

test('without a directory it lives in memory', async () => {
  const db = await openPglite(undefined);
  expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  await db.close();
});
