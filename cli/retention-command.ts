import type { Command } from 'commander';
import { z } from 'zod';
import { retentionOutcomeSchema } from '../core/api/retention.ts';
import { accessFlagsSchema, request, ServerError, tokenFor } from './api-client.ts';

const DEFAULT_SERVER = 'http://127.0.0.1:8080';
const flagsSchema = accessFlagsSchema.extend({ dryRun: z.boolean().default(false) });

/** One line per record class: what was (or would be) removed and what a legal hold kept. */
export function describeOutcome(outcome: z.infer<typeof retentionOutcomeSchema>): string[] {
  const verb = outcome.dryRun ? 'would' : 'did';
  return outcome.classes.map((entry) => {
    if (entry.cutoff === null) return `${entry.class}: kept permanently`;
    const cutoff = new Date(entry.cutoff).toISOString().slice(0, 10);
    const ids = entry.ids.length > 0 ? ` (${entry.ids.join(', ')})` : '';
    const held = entry.held.length > 0 ? `; ${entry.held.length} held: ${entry.held.join(', ')}` : '';
    return `${entry.class} (${entry.period}, before ${cutoff}): ${verb} ${entry.action} ${entry.ids.length}${ids}${held}`;
  });
}

export function registerRetentionCommand(program: Command): void {
  program
    .command('retention')
    .description('Remove or anonymise records past their retention period (never those under a legal hold)')
    .option('--dry-run', 'list what would be removed, removing nothing')
    .option('--server <url>', `the running server [env: AFTERCARE_SERVER] (default: ${DEFAULT_SERVER})`)
    .option(
      '--user <name>',
      'sign in as this admin, the password from env AFTERCARE_PASSWORD [env: AFTERCARE_USER]',
    )
    .addHelpText(
      'after',
      '\nCredentials: env AFTERCARE_TOKEN (a bearer token), or --user with env AFTERCARE_PASSWORD.',
    )
    .action(async (raw: Record<string, unknown>) => {
      try {
        const flags = flagsSchema.parse({
          ...raw,
          server: raw.server ?? process.env.AFTERCARE_SERVER ?? DEFAULT_SERVER,
          user: raw.user ?? process.env.AFTERCARE_USER,
        });
        const target = {
          server: flags.server,
          token: process.env.AFTERCARE_TOKEN || undefined,
          user: flags.user,
          password: process.env.AFTERCARE_PASSWORD,
        };
        const token = await tokenFor(target);
        const text = await request(target, token, 'POST', '/api/retention/run', { dryRun: flags.dryRun });
        for (const line of describeOutcome(retentionOutcomeSchema.parse(JSON.parse(text)))) console.log(line);
        process.exitCode = 0;
      } catch (error) {
        const status = error instanceof ServerError && error.status ? ` (HTTP ${error.status})` : '';
        console.error(`aftercare retention: ${(error as Error).message}${status}`);
        process.exitCode = 2;
      }
    });
}
