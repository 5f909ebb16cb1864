// Runs only `aftercare edge` (the edge's command registered on a bare program), so its test does not
// depend on the other components' commands. Started by edge-cli.test.ts through bin/run-ts.js.
import { Command } from 'commander';
import { registerEdgeCommand } from '../../edge/command.ts';

const program = new Command('aftercare').exitOverride((error) => {
  process.exit(error.exitCode);
});
registerEdgeCommand(program);
await program.parseAsync(process.argv);
