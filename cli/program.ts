import { Command } from 'commander';

/** The `aftercare` program before any command is registered (shared by the full CLI and the prebuilt edge). */
export function createProgram(): Command {
  return new Command('aftercare')
    .description(
      'Watches water-supply booster pump stations and turns what it sees into after-sales service.',
    )
    .version('0.1.0')
    .showHelpAfterError();
}
