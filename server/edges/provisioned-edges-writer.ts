import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  edgeUsername,
  type ProvisionedEdge,
  provisionedEdgesText,
} from '../../core/edges/provisioned-edges.ts';
import type { EdgeWithStations } from './edge-store.ts';

/** The broker's view of the active edges (rows with a password hash). */
export function provisionedEdges(rows: readonly EdgeWithStations[]): ProvisionedEdge[] {
  return rows.flatMap((row) =>
    row.secret_hash
      ? [
          {
            edgeId: row.id,
            site: row.site_id,
            username: edgeUsername(row.id),
            passwordHash: row.secret_hash,
            credentialVersion: row.credential_version,
            stations: row.stations,
          },
        ]
      : [],
  );
}

/**
 * Writes the provisioned-edges file the broker watches: to a temporary file beside it, then renamed
 * over it, so the broker never reads half a file. Unchanged content is not written again (the
 * broker would reload for nothing). Mode 0640: the hashes are not secrets, but nobody else's business.
 * Returns whether the file changed.
 */
export async function writeProvisionedEdges(
  file: string,
  edges: readonly ProvisionedEdge[],
): Promise<boolean> {
  const text = provisionedEdgesText(edges);
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current === text) return false;
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode: 0o640 });
  await rename(temporary, file);
  return true;
}
