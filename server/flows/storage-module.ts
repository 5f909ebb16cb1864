import type { Logger } from '../../core/log.ts';
import type { FlowOwnerResolver } from './flow-owner.ts';
import type { FlowStore } from './flow-store.ts';

/**
 * Node-RED's storage API (settings.storageModule) on the service database: flows, credentials (as
 * Node-RED encrypts them), runtime settings (its credential key among them), sessions and the
 * editor's library. Nothing is written to a home folder, so every instance and every backup of the
 * database has the same flows.
 */
export function flowStorageModule(store: FlowStore, owner: FlowOwnerResolver, logger: Logger) {
  return {
    init: async () => {},
    getFlows: () => store.readFlows(),
    saveFlows: async (flows: unknown[], user?: { username?: string; role?: string }) => {
      const deployer = user?.username && user.role ? { username: user.username, role: user.role } : undefined;
      await store.write('flows', flows, deployer);
      if (deployer) owner.deployed(deployer);
      logger.info({ by: deployer?.username, nodes: flows.length }, 'flows deployed');
    },
    getCredentials: async () => ((await store.read('credentials')) as object | undefined) ?? {},
    saveCredentials: (credentials: object) => store.write('credentials', credentials),
    getSettings: async () => ((await store.read('settings')) as object | undefined) ?? {},
    saveSettings: (settings: object) => store.write('settings', settings),
    getSessions: async () => ((await store.read('sessions')) as object | undefined) ?? {},
    saveSessions: (sessions: object) => store.write('sessions', sessions),
    getLibraryEntry: async (type: string, path: string) => {
      const entry = await store.libraryEntry(type, path);
      if (entry === undefined) throw new Error(`Library Entry not found ${path}`);
      return entry;
    },
    saveLibraryEntry: (type: string, path: string, meta: unknown, body: string) =>
      store.saveLibraryEntry(type, path, meta, body),
  };
}
