import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { type ProvisionedEdges, watchProvisionedEdges } from '../../broker/provisioned-edges.ts';
import { type ProvisionedEdge, provisionedEdgesText } from '../../core/edges/provisioned-edges.ts';
import { silentLogger } from '../../core/log.ts';

const dir = mkdtempSync(join(tmpdir(), 'aftercare-edges-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const edge = (id: string, version = 1): ProvisionedEdge => ({
  edgeId: id,
  site: 'north',
  username: `edge-${id}`,
  passwordHash: 'scrypt$1024$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==',
  credentialVersion: version,
  stations: ['n2', 'n1'],
});

describe('the provisioned-edges file as the broker follows it', () => {
  test('missing, written, rewritten, broken (kept), removed', async () => {
    const file = join(dir, 'sub', 'provisioned-edges.json');
    const changes: ProvisionedEdges[] = [];
    // The directory does not exist yet: the poll finds it later.
    const watch = await watchProvisionedEdges(file, {
      onChange: (e) => changes.push(e),
      log: silentLogger(),
      pollMs: 50,
    });
    try {
      expect(watch.current().size).toBe(0);
      mkdirSync(join(dir, 'sub'));
      writeFileSync(file, provisionedEdgesText([edge('gw1')]));
      await expect
        .poll(() => watch.current().get('edge-gw1')?.stations, { timeout: 5000 })
        .toEqual(['n1', 'n2']);
      writeFileSync(file, provisionedEdgesText([edge('gw1', 2), edge('gw2')]));
      await expect.poll(() => watch.current().get('edge-gw1')?.credentialVersion, { timeout: 5000 }).toBe(2);
      expect([...watch.current().keys()].sort()).toEqual(['edge-gw1', 'edge-gw2']);
      const before = changes.length;
      writeFileSync(file, '{"v":1,"edges":[{"edgeId":"bad id"}]}');
      await watch.reload();
      writeFileSync(file, '{ not json');
      await watch.reload();
      expect(changes.length).toBe(before);
      expect(watch.current().size).toBe(2);
      unlinkSync(file);
      await watch.reload();
      expect(watch.current().size).toBe(0);
    } finally {
      watch.close();
    }
  });

  test('the text is stable: the same edges in another order write the same bytes', () => {
    expect(provisionedEdgesText([edge('b'), edge('a')])).toBe(provisionedEdgesText([edge('a'), edge('b')]));
    expect(JSON.parse(provisionedEdgesText([edge('a')])).edges[0].stations).toEqual(['n1', 'n2']);
  });
});
