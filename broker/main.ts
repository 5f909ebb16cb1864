import { Command } from 'commander';
import { registerBrokerCommand } from './command.ts';

/**
 * The broker's commands alone (`node bin/run-ts.js broker/main.ts broker --help`): starts faster
 * than the full CLI, which loads every component, and serves as the child process in broker tests.
 */
const program = new Command('aftercare').showHelpAfterError();
registerBrokerCommand(program);
await program.parseAsync(process.argv);
