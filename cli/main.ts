import type { Command } from 'commander';
import { createProgram } from './program.ts';

/**
 * Each command's module, imported only when that command runs: `aftercare edge` must not load the
 * server, the broker and the demo (their modules cost the edge process ~80 MB of resident memory).
 * Help and unknown commands load them all, so `aftercare --help` lists every command.
 */
const COMMANDS: Record<string, () => Promise<(program: Command) => void>> = {
  simulator: async () => (await import('../simulators/command.ts')).registerSimulatorCommand,
  inject: async () => (await import('../simulators/command.ts')).registerInjectCommand,
  edge: async () => (await import('../edge/command.ts')).registerEdgeCommand,
  broker: async () => (await import('../broker/command.ts')).registerBrokerCommand,
  server: async () => (await import('../server/command.ts')).registerServerCommand,
  demo: async () => (await import('./demo-command.ts')).registerDemoCommand,
  analyze: async () => (await import('./analyze-command.ts')).registerAnalyzeCommand,
  fleet: async () => (await import('./fleet-command.ts')).registerFleetCommand,
  retention: async () => (await import('./retention-command.ts')).registerRetentionCommand,
  accounts: async () => (await import('../server/auth/accounts-command.ts')).registerAccountsCommand,
};

const asked = process.argv[2];
// The edge and the server from source (tsx, when a bundle cannot be built) still get their heap settings.
if (asked === 'edge') (await import('../edge/heap-tuning.ts')).tuneEdgeHeapOrExit();
if (asked === 'server') (await import('../server/heap-tuning.ts')).tuneServerHeap();

const program = createProgram();
const wanted = asked !== undefined && asked in COMMANDS ? [asked] : Object.keys(COMMANDS);
for (const name of wanted) (await COMMANDS[name]!())(program);

await program.parseAsync(process.argv);
