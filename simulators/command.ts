import type { Command } from 'commander';
import { onShutdown } from '../core/config/component-options.ts';
import { createLogger } from '../core/log.ts';
import { loadProfile } from '../core/profile/load.ts';
import { envLayer, readConfigFile, resolveSimulatorConfig, SIMULATOR_ENV } from './config.ts';
import { writeEdgeConfig } from './edge-config-file.ts';
import { fleetIds, fleetStations, MAX_UNITS_PER_PORT } from './fleet.ts';
import { startSimulator } from './index.ts';
import { FAULT_HELP, FAULT_NAMES } from './model/faults.ts';
import { loadScenario, type ScenarioFile, scenarioFor } from './scenario.ts';

const DEFAULT_CONTROL_URL = 'http://127.0.0.1:5019';
/** Past this many stations each is stepped once a second by default: a fleet polled at 1 Hz. */
const FLEET_STATIONS = 100;

function faultList(): string {
  return FAULT_NAMES.map((name) => `  ${name.padEnd(26)} ${FAULT_HELP[name]}`).join('\n');
}

export function registerSimulatorCommand(program: Command): void {
  const command: Command = program
    .command('simulator')
    // Failures here are about ports, files and the API, not usage: the message alone says what to do.
    .showHelpAfterError(false)
    .description(
      'Simulate booster pump stations and serve each over Modbus TCP through a device profile, with a control ' +
        'API for fault injection.',
    )
    .option(
      '--profile <file>',
      `device profile (default: profiles/booster-3p-380.yaml) [env: ${SIMULATOR_ENV.profile}]`,
    )
    .option('--stations <ids>', "station ids, comma separated (default: the scenario's, else st1,st2,st3)")
    .option('--host <address>', 'listen address (default: 127.0.0.1)')
    .option('--port <port>', 'first Modbus TCP port; station i listens on port+i (default: 5020)')
    .option('--count <n>', 'a fleet of n stations named st1..stN (instead of --stations)')
    .option(
      '--unit-ids',
      'serve the stations behind gateway ports as a Modbus TCP gateway does: unit ids 1..247 on --port, the next 247 on --port+1, ...',
    )
    .option(
      '--units-per-port <n>',
      'stations per gateway port, unit ids 1..n (implies --unit-ids; default 247)',
    )
    .option('--edge-config <file>', 'write an edge config (YAML) polling every station served to this file')
    .option(
      '--control-port <port>',
      'control API port for aftercare inject; 0 picks a free one (default: 5019)',
    )
    .option(
      '--seed <n>',
      "noise seed: the same seed replays the same readings (default: the scenario's, else 1)",
    )
    .option('--speed <n>', "simulated seconds per real second; 0 freezes (default: the scenario's, else 1)")
    .option(
      '--tick-ms <ms>',
      `real milliseconds between model steps (default: 100; 1000 with more than ${FLEET_STATIONS} stations)`,
    )
    .option('--scenario <file>', 'scenario file (YAML) of timed faults to replay')
    .option('--config <file>', 'config file (YAML or JSON) with the same options in camelCase')
    .addHelpText(
      'after',
      `
Precedence: flags > environment (${Object.values(SIMULATOR_ENV).join(', ')}) > --config file > defaults.

Faults (inject with: aftercare inject <station> <fault> [--pump N] [--param key=value] [--clear]):
${faultList()}

Example:
  aftercare simulator --stations st1,st2,st3 --speed 60 --scenario scenarios/demo.yaml
  aftercare simulator --count 1000 --unit-ids --tick-ms 1000 --edge-config /tmp/fleet-edge.yaml
      # 1,000 stations behind ports 5020..5024 (unit ids 1..247 each), stepped once a second
  mbpoll -m tcp -0 -1 -p 5020 -t 3:float -B -r 0 -c 3 127.0.0.1   # supply voltages of st1`,
    )
    .action(async (flags: Record<string, string | boolean | undefined>) => {
      const { config: configFile, ...rest } = flags;
      let scenario: ScenarioFile | undefined;
      let options: ReturnType<typeof resolveSimulatorConfig>;
      try {
        const file = typeof configFile === 'string' ? readConfigFile(configFile) : {};
        options = resolveSimulatorConfig(rest, envLayer(process.env), file, 'aftercare simulator');
        scenario = options.scenario ? loadScenario(options.scenario) : undefined;
      } catch (error) {
        command.error((error as Error).message);
      }
      let profile: ReturnType<typeof loadProfile>;
      try {
        profile = loadProfile(options.profile);
      } catch (error) {
        command.error((error as Error).message);
      }
      const named = Object.keys(scenario?.stations ?? {}).filter((id) => id !== '*');
      const ids =
        options.stations ??
        (options.count ? fleetIds(options.count) : named.length > 0 ? named : ['st1', 'st2', 'st3']);
      const gateway = options.unitIds || options.unitsPerPort !== undefined;
      const layout = gateway
        ? fleetStations(ids, { unitsPerPort: options.unitsPerPort ?? MAX_UNITS_PER_PORT })
        : ids.map((id) => ({ id }));
      const seed = options.seed ?? scenario?.seed ?? 1;
      const speed = options.speed ?? scenario?.speed ?? 1;
      const logger = createLogger('simulator');
      const simulator = await startSimulator({
        profile,
        stations: layout.map((station) => ({
          ...station,
          ...(scenario && scenarioFor(scenario, station.id)
            ? { scenario: scenarioFor(scenario, station.id)! }
            : {}),
        })),
        host: options.host,
        basePort: options.port,
        controlPort: options.controlPort,
        seed,
        speed,
        tickMs: options.tickMs ?? (ids.length > FLEET_STATIONS ? 1000 : 100),
        logger,
      }).catch((error: unknown) => command.error(`aftercare simulator: ${(error as Error).message}`));
      console.log(
        `aftercare simulator: ${ids.length} station(s), profile ${profile.model}, seed ${seed}, speed ${speed}x`,
      );
      const served = ids.map((id) => ({
        id,
        host: simulator.host,
        port: simulator.ports[id]!,
        unitId: simulator.unitIds[id]!,
      }));
      if (ids.length <= 20) {
        for (const s of served) {
          const story = scenario && scenarioFor(scenario, s.id) ? ' (scenario)' : '';
          console.log(`  ${s.id}: modbus tcp ${s.host}:${s.port} unit ${s.unitId}${story}`);
        }
      } else {
        for (const line of portSummary(served)) console.log(`  ${line}`);
      }
      if (options.edgeConfig) {
        writeEdgeConfig(options.edgeConfig, served, options.profile);
        console.log(`  edge config written to ${options.edgeConfig}`);
      }
      console.log(`  control API: ${simulator.controlUrl}`);
      onShutdown(() => simulator.stop());
    });
}

/** One line per port: which stations and unit ids it serves. */
function portSummary(served: ReadonlyArray<{ id: string; port: number; unitId: number }>): string[] {
  const ports = new Map<number, Array<{ id: string; unitId: number }>>();
  for (const s of served) ports.set(s.port, [...(ports.get(s.port) ?? []), s]);
  if (ports.size > 20) {
    const all = [...ports.keys()].sort((a, b) => a - b);
    return [`modbus tcp ports ${all[0]}..${all.at(-1)} (${all.length} ports, a station each)`];
  }
  return [...ports].map(([port, members]) => {
    const first = members[0]!;
    const last = members.at(-1)!;
    return `modbus tcp port ${port}: ${first.id}..${last.id} as unit ids ${first.unitId}..${last.unitId}`;
  });
}

/** key=value pairs of repeated --param flags. */
function collectParam(value: string, previous: Record<string, string>): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new Error(`--param ${value}: write key=value, e.g. --param weeks=2`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

export function registerInjectCommand(program: Command): void {
  const command: Command = program
    .command('inject')
    .showHelpAfterError(false)
    .description('Inject (or with --clear, clear) a fault in a running simulator, through its control API.')
    .argument('<station>', 'station id, e.g. st1')
    .argument('<fault>', `fault name: ${FAULT_NAMES.join(', ')}`)
    .option('--pump <n>', 'pump number for per-pump faults (pump_trip, bearing_wear, grounding_fault)')
    .option('--clear', 'clear the fault instead of injecting it')
    .option('--param <key=value>', 'fault parameter; repeat for several', collectParam, {})
    .option(
      '--control <url>',
      `simulator control API (default: ${DEFAULT_CONTROL_URL}) [env: AFTERCARE_CONTROL_URL]`,
    )
    .addHelpText(
      'after',
      `
Faults:
${faultList()}

Examples:
  aftercare inject st1 pump_trip --pump 1
  aftercare inject st2 bearing_wear --pump 2 --param weeks=1
  aftercare inject st1 pump_trip --pump 1 --clear`,
    )
    .action(async (station: string, fault: string, flags: Record<string, unknown>) => {
      const base = String(flags.control ?? process.env.AFTERCARE_CONTROL_URL ?? DEFAULT_CONTROL_URL).replace(
        /\/+$/,
        '',
      );
      let pump: number | undefined;
      if (flags.pump !== undefined) {
        pump = Number(flags.pump);
        if (!Number.isInteger(pump) || pump < 1)
          command.error(`--pump ${String(flags.pump)}: give a pump number, 1 or more`);
      }
      const stationPath = `${base}/stations/${encodeURIComponent(station)}/faults`;
      const request = flags.clear
        ? fetch(`${stationPath}/${encodeURIComponent(fault)}${pump === undefined ? '' : `?pump=${pump}`}`, {
            method: 'DELETE',
          })
        : fetch(stationPath, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ fault, ...(pump === undefined ? {} : { pump }), params: flags.param }),
          });
      let response: Response;
      try {
        response = await request;
      } catch (error) {
        command.error(
          `cannot reach the simulator control API at ${base} (${(error as Error).message}); is aftercare simulator running?`,
        );
      }
      const body = (await response.json().catch(() => ({}))) as { error?: string; faults?: unknown[] };
      if (!response.ok) command.error(`aftercare inject: ${body.error ?? `HTTP ${response.status}`}`);
      const what = flags.clear ? 'cleared' : 'injected';
      console.log(`${what} ${fault}${pump === undefined ? '' : ` on pump ${pump}`} at ${station}`);
      console.log(`active faults: ${JSON.stringify(body.faults ?? [])}`);
    });
}
