import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../core/log.ts';

/** Where the built dashboards land; the server serves this folder at /. */
export const DASHBOARDS_DIST = join(import.meta.dirname, 'dist');
const CONFIG = join(import.meta.dirname, 'vite.config.ts');

/** Builds the dashboards app with Vite (programmatically, the same config as `vite build --config`). */
export async function buildDashboards(): Promise<string> {
  // Imported here: only a fresh clone without a build needs Vite at run time.
  const { build } = await import('vite');
  await build({ configFile: CONFIG, logLevel: 'warn' });
  return DASHBOARDS_DIST;
}

/** The built dashboards folder, building it first when it is missing (a fresh clone). */
export async function ensureDashboardsBuilt(logger: Logger): Promise<string> {
  if (existsSync(join(DASHBOARDS_DIST, 'index.html'))) return DASHBOARDS_DIST;
  logger.info({ dir: DASHBOARDS_DIST }, 'dashboards not built yet: building them with Vite (once)');
  const started = Date.now();
  await buildDashboards();
  logger.info({ ms: Date.now() - started }, 'dashboards built');
  return DASHBOARDS_DIST;
}
