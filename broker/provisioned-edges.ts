import { type FSWatcher, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { type ProvisionedEdge, provisionedEdgesFileSchema } from '../core/edges/provisioned-edges.ts';
import type { Logger } from '../core/log.ts';

/** The edges an admin provisioned, by MQTT user name, as last read from the server's file. */
export type ProvisionedEdges = ReadonlyMap<string, ProvisionedEdge>;

export interface ProvisionedEdgesWatch {
  current(): ProvisionedEdges;
  /** Reads the file now (the watcher does so on its own; tests and shutdown call this). */
  reload(): Promise<void>;
  close(): void;
}

export interface WatchOptions {
  /** Called after each read that changed the edges (not for an unchanged or broken file). */
  onChange(edges: ProvisionedEdges): void;
  log: Logger;
  /** Besides the directory watch, the file is read this often, ms: a watch can miss events on some file systems. Default 2000. */
  pollMs?: number;
}

/**
 * Follows the provisioned-edges file the server writes: a directory watch reloads it within
 * milliseconds of the server's rename, and a slow poll catches what a watch misses (the directory
 * made later, network file systems). A missing file means no provisioned edges; a broken one is
 * logged and the last good edges stay (a half-fixed file must not lock every gateway out).
 */
export async function watchProvisionedEdges(
  file: string,
  options: WatchOptions,
): Promise<ProvisionedEdgesWatch> {
  let edges: ProvisionedEdges = new Map();
  let lastText: string | undefined;
  let watcher: FSWatcher | undefined;
  let closed = false;
  let chain: Promise<void> = Promise.resolve();

  const read = async () => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        options.log.error({ file, err: (error as Error).message }, 'provisioned edges file unreadable');
        return;
      }
      text = '';
    }
    if (text === lastText) return;
    lastText = text;
    if (text === '') {
      if (edges.size > 0) options.log.warn({ file }, 'provisioned edges file gone: no provisioned edges');
      edges = new Map();
      options.onChange(edges);
      return;
    }
    let parsed: ReturnType<typeof provisionedEdgesFileSchema.safeParse>;
    try {
      parsed = provisionedEdgesFileSchema.safeParse(JSON.parse(text));
    } catch (error) {
      options.log.error(
        { file, err: (error as Error).message },
        'provisioned edges file is not JSON; kept the last good one',
      );
      return;
    }
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      options.log.error({ file, problems }, 'provisioned edges file invalid; kept the last good one');
      return;
    }
    edges = new Map(parsed.data.edges.map((edge) => [edge.username, edge]));
    options.log.info({ file, edges: edges.size }, 'provisioned edges loaded');
    options.onChange(edges);
  };
  const reload = () => {
    chain = chain.then(read, read);
    return chain;
  };
  const startWatch = () => {
    if (watcher || closed) return;
    try {
      watcher = watch(dirname(file), (_event, name) => {
        if (name === null || name === basename(file)) void reload();
      });
      watcher.on('error', () => {
        watcher?.close();
        watcher = undefined;
      });
    } catch {
      watcher = undefined; // the directory does not exist yet: the poll retries
    }
  };

  startWatch();
  await reload();
  const timer = setInterval(() => {
    startWatch();
    void reload();
  }, options.pollMs ?? 2000);
  timer.unref();
  return {
    current: () => edges,
    reload,
    close: () => {
      closed = true;
      clearInterval(timer);
      watcher?.close();
    },
  };
}
