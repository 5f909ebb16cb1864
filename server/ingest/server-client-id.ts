import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The broker reserves this prefix for servers (broker/client-ids.ts). */
const PREFIX = 'aftercare-server-';
const FILE = 'mqtt-client-id';

function randomClientId(): string {
  return `${PREFIX}${randomBytes(8).toString('hex')}`;
}

/**
 * This server instance's MQTT client id: random (not the host name, which anyone can guess) and
 * kept in `<dataDir>/mqtt-client-id`, so a restarted server gets its persistent session back with
 * the QoS 1 messages the broker kept meanwhile. With dataDir ':memory:' it is random per process.
 */
export async function serverClientId(dataDir: string): Promise<string> {
  if (dataDir === ':memory:') return randomClientId();
  const file = join(dataDir, FILE);
  try {
    const kept = (await readFile(file, 'utf8')).trim();
    if (kept.startsWith(PREFIX) && kept.length <= 128) return kept;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const id = randomClientId();
  await mkdir(dataDir, { recursive: true });
  await writeFile(`${file}.tmp`, `${id}\n`);
  await rename(`${file}.tmp`, file);
  return id;
}
