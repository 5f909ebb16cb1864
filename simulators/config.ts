import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { mergeOptions } from '../core/config/component-options.ts';
import { ConfigFileError, readConfigFileSync } from '../core/config/config-file.ts';

/** The reference profile shipped with the repository. */
export const DEFAULT_PROFILE = fileURLToPath(new URL('../profiles/booster-3p-380.yaml', import.meta.url));

const port = z.coerce.number().int().min(0).max(65535);
const flag = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])]).transform((v) => {
  return v === true || v === 'true' || v === '1' || v === 'yes';
});

/**
 * Options of `aftercare simulator`, merged flags > env (AFTERCARE_SIM_*) > --config file > defaults.
 * `seed` and `speed` fall back to the scenario file's, then to 1.
 */
export const simulatorConfigSchema = z
  .object({
    /** Device profile file. Default: profiles/booster-3p-380.yaml of the repository. */
    profile: z.string().min(1).default(DEFAULT_PROFILE),
    /** Station ids, comma separated or a list. Default: the scenario's stations, else st1,st2,st3. */
    stations: z
      .union([z.string(), z.array(z.string())])
      .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
      .optional(),
    /** Listen address. Default 127.0.0.1. */
    host: z.string().min(1).default('127.0.0.1'),
    /** First Modbus TCP port (station i on port + i), or the one port with --unit-ids. Default 5020. */
    port: port.default(5020),
    /** Serve the stations behind gateway ports (247 unit ids per port from `port` on). Default false. */
    unitIds: flag.default(false),
    /** Stations per gateway port, unit ids 1..n (implies unitIds); past n the next port. Default 247. */
    unitsPerPort: z.coerce.number().int().min(1).max(247).optional(),
    /** A fleet of this many stations named st1..stN (instead of `stations`). */
    count: z.coerce.number().int().min(1).max(20_000).optional(),
    /** Writes an edge config (YAML) polling every station served to this file. */
    edgeConfig: z.string().min(1).optional(),
    /** Control API port (aftercare inject). Default 5019. */
    controlPort: port.default(5019),
    /** Noise seed. Default: the scenario's, else 1. */
    seed: z.coerce.number().int().optional(),
    /** Simulated seconds per real second. Default: the scenario's, else 1. */
    speed: z.coerce.number().min(0).max(1_000_000).optional(),
    /** Real ms between model steps. Default 100, or 1000 with more than 100 stations (a fleet at 1 Hz). */
    tickMs: z.coerce.number().positive().max(60_000).optional(),
    /** Scenario file (YAML) of timed faults. */
    scenario: z.string().min(1).optional(),
  })
  .strict();

export type SimulatorConfig = z.output<typeof simulatorConfigSchema>;
type Layer = Record<string, unknown>;

const ENV_KEYS: Record<string, string> = {
  profile: 'AFTERCARE_SIM_PROFILE',
  stations: 'AFTERCARE_SIM_STATIONS',
  host: 'AFTERCARE_SIM_HOST',
  port: 'AFTERCARE_SIM_PORT',
  unitIds: 'AFTERCARE_SIM_UNIT_IDS',
  unitsPerPort: 'AFTERCARE_SIM_UNITS_PER_PORT',
  count: 'AFTERCARE_SIM_COUNT',
  edgeConfig: 'AFTERCARE_SIM_EDGE_CONFIG',
  controlPort: 'AFTERCARE_SIM_CONTROL_PORT',
  seed: 'AFTERCARE_SIM_SEED',
  speed: 'AFTERCARE_SIM_SPEED',
  tickMs: 'AFTERCARE_SIM_TICK_MS',
  scenario: 'AFTERCARE_SIM_SCENARIO',
};

/** The environment variable of each option (for --help). */
export const SIMULATOR_ENV: Readonly<Record<string, string>> = ENV_KEYS;

export function envLayer(env: NodeJS.ProcessEnv): Layer {
  return Object.fromEntries(
    Object.entries(ENV_KEYS)
      .map(([key, name]) => [key, env[name] === '' ? undefined : env[name]])
      .filter(([, v]) => v !== undefined),
  );
}

/** Reads a --config file (YAML or JSON) holding the same keys as the flags. */
export function readConfigFile(file: string): Layer {
  const kind = { what: 'simulator config' };
  const data = readConfigFileSync(file, kind);
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new ConfigFileError(file, kind.what, ['expected a mapping of options (the keys of the flags)']);
  return data as Layer;
}

/** Merges the layers and validates them; errors name the option (and the file when one was given). */
export function resolveSimulatorConfig(
  flags: Layer,
  env: Layer,
  file: Layer = {},
  source = 'options',
): SimulatorConfig {
  const result = simulatorConfigSchema.safeParse(mergeOptions<Layer>(flags, env, file));
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`,
  );
  throw new Error(`${source}: ${problems.join('; ')}`);
}
