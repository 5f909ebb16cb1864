// Loads a running fleet simulator (ports from its --edge-config file) with the lean poller for a while
// and prints the answers: `node bin/run-ts.js bench/tools/profile-fleet-sim.ts /tmp/fleet-edge.yaml 30`.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { loadProfile } from '../../core/profile/load.ts';
import { startModbusLoad } from './modbus-load.ts';

const [file, seconds = '30'] = process.argv.slice(2);
const config = parse(readFileSync(file!, 'utf8')) as {
  stations: Array<{ profile: string; tcp: { host: string; port: number; unitId: number } }>;
};
const profile = loadProfile(config.stations[0]!.profile);
const load = await startModbusLoad(
  config.stations[0]!.tcp.host,
  config.stations.map((s) => s.tcp),
  profile,
);
await new Promise((resolve) => setTimeout(resolve, Number(seconds) * 1000));
load.stop();
console.log(JSON.stringify({ readsPerPoll: load.readsPerPoll, ...load.counts() }));
