/** What one section measured, for its own printout and the summary table. */
export interface SectionResult {
  section: string;
  /** What was measured, e.g. `tags/s, 20 stations`. */
  metric: string;
  /** The figure under test (median over rounds), formatted. */
  measured: string;
  /** The reference measured in the same run, formatted; '' when the target is absolute. */
  reference: string;
  /** measured / reference, or measured / limit for absolute targets. */
  ratio: number;
  target: string;
  pass: boolean;
  /** How it was counted and anything to read the figure with. */
  notes: string[];
}

/** Prints one section's result as it finishes. */
export function printSection(result: SectionResult): void {
  const lines = [
    `  measured:  ${result.measured}`,
    ...(result.reference ? [`  reference: ${result.reference}`] : []),
    `  ratio:     ${Number.isFinite(result.ratio) ? result.ratio.toFixed(2) : 'n/a'}`,
    `  target:    ${result.target} -> ${result.pass ? 'PASS' : 'MISS'}`,
    ...result.notes.map((n) => `  note: ${n}`),
  ];
  console.log(lines.join('\n'));
}

/** The markdown table for the README's performance section. */
export function summaryTable(results: readonly SectionResult[], header: string): string {
  const escapePipes = (text: string) => text.replaceAll('|', '\\|');
  const rows = results.map((r) =>
    [
      r.section,
      r.metric,
      r.measured,
      r.reference || '-',
      Number.isFinite(r.ratio) ? r.ratio.toFixed(2) : 'n/a',
      r.target,
      r.pass ? 'PASS' : 'MISS',
    ]
      .map(escapePipes)
      .join(' | '),
  );
  return [
    header,
    '',
    '| section | metric | measured | reference | ratio | target | result |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row} |`),
    '',
  ].join('\n');
}
