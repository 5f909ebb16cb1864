import { readFile } from 'node:fs/promises';
/**
 * Option precedence for every component (DESIGN.md): flags > environment > config file > defaults.
 * Each layer is a partial object; later layers only fill what earlier ones left undefined.
 */
export function mergeOptions<T extends object>(...layers: Array<Partial<T> | undefined>): Partial<T> {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer)) {
      if (value !== undefined && merged[key] === undefined) merged[key] = value;
    }
  }
  return merged as Partial<T>;
}

/** Keeps a process that serves others alive on a stray error, but says so. */
export function onShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    stop()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        console.error(`error while stopping on ${signal}:`, error);
        process.exit(1);
      });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/**
 * A TLS certificate and its key from PEM files (both or neither). Throws a clear error when only
 * one is given or a file cannot be read; `flags` names the options in the message.
 */
export async function readCertificatePair(
  certFile: string | undefined,
  keyFile: string | undefined,
  flags: string,
): Promise<{ cert: Buffer; key: Buffer } | undefined> {
  if ((certFile === undefined) !== (keyFile === undefined)) throw new Error(`${flags} go together`);
  if (certFile === undefined || keyFile === undefined) return undefined;
  try {
    return { cert: await readFile(certFile), key: await readFile(keyFile) };
  } catch (error) {
    throw new Error(`${flags}: cannot read the PEM files: ${(error as Error).message}`);
  }
}
