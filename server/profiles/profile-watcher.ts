import { type FSWatcher, watch } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Logger } from '../../core/log.ts';
import { loadProfile } from '../../core/profile/load.ts';
import type { Profile } from '../../core/profile/schema.ts';
import type { ProfileRegistry } from './profile-registry.ts';

const PROFILE_FILE = /\.(ya?ml|json)$/;

export interface ProfileWatcherOptions {
  /** A profile file, or a directory whose .yaml/.yml/.json files are profiles. */
  path: string;
  registry: ProfileRegistry;
  logger: Logger;
  /** Quiet time after the last file event before reloading (editors write in steps), ms. Default 200. */
  debounceMs?: number;
  /** Each file reloaded (`ok`) or refused (`failed`), for the metrics. */
  onResult?: (result: 'ok' | 'failed', file: string) => void;
}

export interface ProfileWatcher {
  /** Files loaded and refused since start (a refused file keeps its last good profile). */
  readonly counts: { reloaded: number; refused: number };
  /** Reads the files again now (the watcher calls it on change; tests and SIGHUP may too). */
  reload(): Promise<void>;
  close(): void;
}

/**
 * Follows profile files while the server runs: a changed or new file replaces its model's profile
 * in the registry, a removed one drops it, and a broken one is refused with the file, tag and field
 * in the log while its last good profile stays in use.
 */
export async function watchProfiles(options: ProfileWatcherOptions): Promise<ProfileWatcher> {
  const { path, registry, logger } = options;
  const isDirectory = (await stat(path)).isDirectory();
  const dir = isDirectory ? path : dirname(path);
  const only = isDirectory ? undefined : basename(path);
  const loaded = new Map<string, Profile>();
  const counts = { reloaded: 0, refused: 0 };
  let first = true;

  async function filesOf(): Promise<string[]> {
    if (only) return [join(dir, only)];
    const names = await readdir(dir).catch(() => [] as string[]);
    return names
      .filter((name) => PROFILE_FILE.test(name))
      .sort()
      .map((name) => join(dir, name));
  }

  let running: Promise<void> = Promise.resolve();
  const reload = (): Promise<void> => {
    running = running.then(async () => {
      const files = new Set(await filesOf());
      let changed = false;
      for (const file of loaded.keys()) {
        if (files.has(file)) continue;
        loaded.delete(file);
        changed = true;
        logger.info({ file }, 'device profile removed');
      }
      for (const file of files) {
        let profile: Profile;
        try {
          profile = loadProfile(file);
        } catch (error) {
          // A file gone between listing and reading (an editor's rename) is not an error.
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
          if (!first) counts.refused += 1;
          if (!first) options.onResult?.('failed', file);
          logger.error(
            { file, err: (error as Error).message, kept: loaded.get(file)?.model ?? null },
            'device profile refused: the last good one stays in use',
          );
          continue;
        }
        if (JSON.stringify(loaded.get(file)) === JSON.stringify(profile)) continue;
        loaded.set(file, profile);
        changed = true;
        if (first) continue;
        counts.reloaded += 1;
        options.onResult?.('ok', file);
        logger.info({ file, model: profile.model }, 'device profile loaded');
      }
      if (changed) registry.replace([...loaded.values()]);
      first = false;
    });
    return running;
  };

  await reload();
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, (_event, name) => {
      if (only && name !== only) return;
      if (name && !PROFILE_FILE.test(name)) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        reload().catch((error: unknown) => logger.error({ err: error }, 'device profile reload failed'));
      }, options.debounceMs ?? 200);
    });
    watcher.on('error', (error) => logger.error({ err: error, dir }, 'device profile watch failed'));
  } catch (error) {
    logger.error({ err: error, dir }, 'device profiles are not watched: changes need a restart');
  }
  return {
    counts,
    reload,
    close: () => {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
