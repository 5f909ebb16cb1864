import { Command } from 'commander';
import { registerBrokerCommand } from '../broker/command.ts';
import { registerEdgeCommand } from '../edge/command.ts';
import { registerServerCommand } from '../server/command.ts';
import { registerInjectCommand, registerSimulatorCommand } from '../simulators/command.ts';
import { registerAnalyzeCommand } from './analyze-command.ts';
import { registerDemoCommand } from './demo-command.ts';

const program = new Command('aftercare')
  .description('Watches water-supply booster pump stations and turns what it sees into after-sales service.')
  .version('0.1.0')
  .showHelpAfterError();

registerSimulatorCommand(program);
registerInjectCommand(program);
registerEdgeCommand(program);
registerBrokerCommand(program);
registerServerCommand(program);
registerDemoCommand(program);
registerAnalyzeCommand(program);

await program.parseAsync(process.argv);
