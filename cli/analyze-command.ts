import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import {
  DEFAULT_MACHINE_CLASS,
  ISO_10816_3_CLASSES,
  MACHINE_CLASSES,
} from '../core/standards/iso-10816-3.ts';
import { healthSentence } from '../dashboards/app/i18n/health-text.ts';
import { parseMappings } from '../server/predictive/column-guess.ts';
import { CsvError, parseCsvReadings } from '../server/predictive/csv-readings.ts';
import { type Analysis, analyzeReadings } from '../server/predictive/offline-analysis.ts';

const thresholdFlag = z
  .string()
  .regex(/^[^=]+=-?\d+(\.\d+)?$/, 'a threshold is column=number, e.g. --threshold bearing_temp=90');

const flagsSchema = z.object({
  json: z.boolean().default(false),
  threshold: z.array(thresholdFlag).default([]),
  map: z
    .array(
      z.string().regex(/^[^=]+=[^=]+$/, 'a mapping is column=meaning, e.g. --map "P2 (bar)=pressure.outlet"'),
    )
    .default([]),
  leadDays: z.coerce.number().positive().optional(),
  windowDays: z.coerce.number().positive().optional(),
  machineClass: z.enum(MACHINE_CLASSES).default(DEFAULT_MACHINE_CLASS),
});

/** `aftercare analyze <file.csv>`: the health and anomaly models over exported readings. */
export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze')
    .description(
      'Run the health and anomaly models over a CSV of readings (a timestamp column and numeric columns) and ' +
        'print anomaly episodes and time-to-threshold estimates',
    )
    .argument('<file.csv>', 'CSV export: a timestamp column (ISO 8601 or epoch s/ms) and numeric columns')
    .option(
      '--json',
      'print {"episodes": [{"start", "end", "indicator", "score"}], "estimates": [...]} with ISO times',
    )
    .option(
      '--threshold <column=value>',
      'alarm threshold of a plain (non-meaning) column, repeatable',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      '--map <column=meaning>',
      'what a column is (pump[N].<field> or a station meaning such as pressure.outlet, flow.rate), repeatable; unmapped columns are guessed by name and unit',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--lead-days <n>', 'lead time for "within lead time" estimates, days (default 14)')
    .option('--window-days <n>', 'trend window, days (default 7)')
    .option(
      '--machine-class <class>',
      `ISO 10816-3 class of the pumps, for the vibration zones: ${MACHINE_CLASSES.join(', ')} (default ${DEFAULT_MACHINE_CLASS})`,
    )
    .addHelpText(
      'after',
      '\nColumns named by meaning (pump[1].bearing_vibration, insulation.resistance, ambient.temperature, ...) go\n' +
        'through the same station model as live telemetry; other numeric columns are analysed one by one.',
    )
    .action(async (file: string, raw: Record<string, unknown>) => {
      const flags = flagsSchema.safeParse(raw);
      if (!flags.success) {
        fail(flags.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
        return;
      }
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        fail(`cannot read ${file}: ${(error as Error).message}`);
        return;
      }
      try {
        const thresholds = Object.fromEntries(
          flags.data.threshold.map((t) => {
            const at = t.lastIndexOf('=');
            return [t.slice(0, at), Number(t.slice(at + 1))];
          }),
        );
        const mappings = parseMappings(flags.data.map);
        if (typeof mappings === 'string') {
          fail(`--map: ${mappings}`);
          return;
        }
        const analysis = analyzeReadings(parseCsvReadings(text), {
          thresholds,
          mappings,
          config: {
            vibrationZones: { ...ISO_10816_3_CLASSES[flags.data.machineClass] },
            ...(flags.data.leadDays ? { leadTimeDays: flags.data.leadDays } : {}),
            ...(flags.data.windowDays ? { windowDays: flags.data.windowDays } : {}),
          },
        });
        console.log(flags.data.json ? JSON.stringify(analysis, null, 2) : formatAnalysis(analysis, file));
      } catch (error) {
        if (error instanceof CsvError) fail(`${file}: ${error.message}`);
        else throw error;
      }
    });
}

function fail(message: string): void {
  console.error(`aftercare analyze: ${message}`);
  process.exitCode = 2;
}

/** The human-readable report. */
export function formatAnalysis(a: Analysis, file: string): string {
  const lines = [`${file}: ${a.rows} rows from ${a.from} to ${a.to}`];
  if (a.droppedRows + a.droppedCells > 0) {
    lines.push(
      `  dropped: ${a.droppedRows} rows without a timestamp, ${a.droppedCells} cells that are not numbers`,
    );
  }
  if (a.health)
    lines.push(
      `health score ${a.health.score}/100${a.health.driver ? `, driven by ${a.health.driver}: ${a.health.reason}` : ''}`,
    );
  lines.push('', 'columns (what each was taken to be; judged only after its learning period):');
  for (const c of a.columns) {
    const what =
      c.how === 'none'
        ? 'not recognised: judged both ways on its own scale'
        : c.how === 'relation'
          ? 'the residual of its learned relation to the flow, judged where the flow was learned'
          : `${c.how} ${c.meaning ?? c.kind.kind}${c.unit ? ` (${c.unit})` : ''}, ${c.kind.kind}`;
    lines.push(`  ${c.column}: ${what}; ${c.learning}${c.learnedUntil ? ` until ${c.learnedUntil}` : ''}`);
  }
  lines.push('', `episodes (${a.episodes.length}):`);
  for (const e of a.episodes)
    lines.push(
      `  ${e.start} .. ${e.end}${e.open ? ' (going on)' : ''}  ${e.indicator}  ${e.direction}  score ${e.score}${e.onset ? `  onset ${e.onset}` : ''}`,
    );
  if (a.episodes.length === 0) lines.push("  none: every reading is like the equipment's own history");
  if (a.explanations.length > 0) lines.push('', 'what the episodes likely mean:');
  for (const x of a.explanations)
    lines.push(`  ${x.start} .. ${x.end}  ${healthSentence('en', x.code, x.params)}  [${x.code}]`);
  lines.push('', 'time to threshold:');
  for (const e of a.estimates) {
    const when =
      e.daysToThreshold === null
        ? e.note
        : `${e.daysToThreshold.toFixed(1)} days (band ${e.bandDays?.low.toFixed(1)}-${e.bandDays?.high?.toFixed(1) ?? 'unbounded'}), around ${e.crossingAt}; ${e.note}`;
    lines.push(`  ${e.indicator}: ${e.status}${e.trend ? ` (${e.trend})` : ''}: ${when}`);
  }
  return lines.join('\n');
}
