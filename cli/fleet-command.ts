import { readFile, writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { FLEET_FILE_KINDS, FLEET_FORMATS, fleetImportResultSchema } from '../core/api/fleet.ts';
import { formatIssue } from '../core/fleet/fleet-document.ts';
import { accessFlagsSchema, request, type ServerAccess, ServerError, tokenFor } from './api-client.ts';

const DEFAULT_SERVER = 'http://127.0.0.1:8080';

const importFlagsSchema = accessFlagsSchema.extend({
  dryRun: z.boolean().default(false),
  format: z.enum(FLEET_FORMATS).optional(),
  kind: z.enum(FLEET_FILE_KINDS).optional(),
});
const exportFlagsSchema = accessFlagsSchema.extend({
  format: z.enum(FLEET_FORMATS).default('yaml'),
  kind: z.enum(FLEET_FILE_KINDS).optional(),
  out: z.string().min(1).optional(),
});

function access(flags: z.infer<typeof accessFlagsSchema>): ServerAccess {
  return {
    server: flags.server,
    token: process.env.AFTERCARE_TOKEN || undefined,
    user: flags.user,
    password: process.env.AFTERCARE_PASSWORD,
  };
}

/** Runs a command's body; a refusal or bad flag is one line on stderr and exit code 2. */
async function run(work: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await work();
  } catch (error) {
    const message =
      error instanceof z.ZodError
        ? error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('; ')
        : (error as Error).message;
    const status = error instanceof ServerError && error.status ? ` (HTTP ${error.status})` : '';
    console.error(`aftercare fleet: ${message}${status}`);
    process.exitCode = 2;
  }
}

function withAccess(command: Command): Command {
  return command
    .option('--server <url>', `the running server [env: AFTERCARE_SERVER] (default: ${DEFAULT_SERVER})`)
    .option(
      '--user <name>',
      'sign in as this user, the password from env AFTERCARE_PASSWORD [env: AFTERCARE_USER]',
    )
    .addHelpText(
      'after',
      '\nCredentials: env AFTERCARE_TOKEN (a bearer token), or --user with env AFTERCARE_PASSWORD.',
    );
}

export function registerFleetCommand(program: Command): void {
  const fleet = program
    .command('fleet')
    .description(
      'Import and export customers, sites, contracts, stations and pumps (YAML or CSV) over a running server',
    );

  withAccess(fleet.command('import'))
    .description('Import a YAML or CSV file, all or nothing; every issue printed as FILE:ROW field: message')
    .argument('<file>', 'a .yaml/.yml file, or a .csv file of one kind')
    .option('--dry-run', 'check everything and report what would change, writing nothing')
    .option('--format <format>', 'yaml or csv (default: from the file name)')
    .option(
      '--kind <kind>',
      'what a CSV file holds: customers, sites, contracts or stations (default: from its header)',
    )
    .action((file: string, raw: Record<string, unknown>) =>
      run(async () => {
        const flags = importFlagsSchema.parse({
          ...raw,
          server: raw.server ?? process.env.AFTERCARE_SERVER ?? DEFAULT_SERVER,
          user: raw.user ?? process.env.AFTERCARE_USER,
        });
        const format = flags.format ?? (extname(file).toLowerCase() === '.csv' ? 'csv' : 'yaml');
        const text = await readFile(file, 'utf8');
        const target = access(flags);
        const token = await tokenFor(target);
        const body = {
          file: basename(file),
          format,
          text,
          dryRun: flags.dryRun,
          ...(flags.kind ? { kind: flags.kind } : {}),
        };
        const result = fleetImportResultSchema.parse(
          JSON.parse(await request(target, token, 'POST', '/api/fleet/import', body)),
        );
        for (const issue of result.issues) console.error(formatIssue({ ...issue, file }));
        const counts = (label: string, byKind: Record<string, number>) =>
          `${label} ${
            Object.entries(byKind)
              .map(([kind, n]) => `${n} ${kind}`)
              .join(', ') || 'nothing'
          }`;
        const verb = result.applied
          ? 'imported'
          : result.dryRun && result.issues.length === 0
            ? 'would import'
            : 'refused';
        console.log(
          `${file}: ${verb}: ${counts('created', result.created)}; ${counts('updated', result.updated)}; ${result.issues.length} issue(s)`,
        );
        return result.issues.length > 0 ? 1 : 0;
      }),
    );

  withAccess(fleet.command('export'))
    .description('Write the fleet as a file that import takes back')
    .option('--format <format>', 'yaml or csv', 'yaml')
    .option(
      '--kind <kind>',
      'CSV: customers, sites, contracts or stations (default stations); YAML: only that section',
    )
    .option('--out <file>', 'write to this file (default: standard output)')
    .action((raw: Record<string, unknown>) =>
      run(async () => {
        const flags = exportFlagsSchema.parse({
          ...raw,
          server: raw.server ?? process.env.AFTERCARE_SERVER ?? DEFAULT_SERVER,
          user: raw.user ?? process.env.AFTERCARE_USER,
        });
        const target = access(flags);
        const token = await tokenFor(target);
        const query = new URLSearchParams({
          format: flags.format,
          ...(flags.kind ? { kind: flags.kind } : {}),
        });
        const text = await request(target, token, 'GET', `/api/fleet/export?${query}`);
        if (flags.out) await writeFile(flags.out, text);
        else process.stdout.write(text);
        return 0;
      }),
    );
}
