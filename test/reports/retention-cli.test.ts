import { describe, expect, test } from 'vitest';
import { describeOutcome } from '../../cli/retention-command.ts';

describe('aftercare retention output', () => {
  test('a dry run names per class what would go and what a hold keeps', () => {
    const cutoff = Date.UTC(2020, 0, 1);
    const lines = describeOutcome({
      at: cutoff,
      dryRun: true,
      classes: [
        { class: 'tickets', period: '10y', action: 'delete', cutoff, ids: ['3', '4'], held: ['5'] },
        { class: 'surveys', period: '3y', action: 'anonymise', cutoff, ids: [], held: [] },
        { class: 'audit', period: 'permanent', action: 'delete', cutoff: null, ids: [], held: [] },
      ],
    });
    expect(lines).toEqual([
      'tickets (10y, before 2020-01-01): would delete 2 (3, 4); 1 held: 5',
      'surveys (3y, before 2020-01-01): would anonymise 0',
      'audit: kept permanently',
    ]);
  });
});
