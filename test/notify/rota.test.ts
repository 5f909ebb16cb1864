import { describe, expect, test } from 'vitest';
import { keepSecrets, maskSecrets } from '../../core/notify/mask.ts';
import { renderMessage } from '../../core/notify/messages.ts';
import {
  dueAlarmSteps,
  inQuietHours,
  onCallAt,
  quietHoursEnd,
  shiftCovers,
  teamOf,
} from '../../core/notify/rota.ts';
import { notifySettingsSchema, SECRET_MASK, teamSchema } from '../../core/notify/settings.ts';
import { overridesQuiet } from '../../server/notify/dispatcher.ts';

// Shanghai has no daylight saving: 2026-03-02 is a Monday; 08:00 there is 00:00 UTC.
const monday = (hhmm: string) => Date.parse(`2026-03-02T${hhmm}:00+08:00`);
const DAY = 86_400_000;

const team = teamSchema.parse({
  id: 'north',
  sites: ['demo'],
  rota: [
    { day: 1, from: '08:00', to: '20:00', username: 'day-tech' },
    { day: 1, from: '20:00', to: '08:00', username: 'night-tech' },
    { day: 7, from: '22:00', to: '06:00', username: 'sunday-night' },
  ],
});

describe('weekly on-call rota', () => {
  test.each([
    ['Monday 07:59: nobody (Sunday night shift ended 06:00)', monday('07:59'), undefined],
    ['Monday 08:00', monday('08:00'), 'day-tech'],
    ['Monday 19:59', monday('19:59'), 'day-tech'],
    ['Monday 20:00', monday('20:00'), 'night-tech'],
    ['Tuesday 07:59, the night shift past midnight', monday('07:59') + DAY, 'night-tech'],
    ['Tuesday 08:00', monday('08:00') + DAY, undefined],
    ['Sunday 23:00', monday('23:00') + 6 * DAY, 'sunday-night'],
    ['Monday 05:59, Sunday night wraps into Monday', monday('05:59'), 'sunday-night'],
  ])('%s', (_name, at, expected) => {
    expect(onCallAt(team, at)).toBe(expected);
  });

  test('a whole-day shift (00:00 to 00:00) covers its day only', () => {
    const shift = { day: 3, from: '00:00', to: '00:00', username: 'x' };
    expect([shiftCovers(shift, 3, 0), shiftCovers(shift, 3, 1439), shiftCovers(shift, 4, 0)]).toEqual([
      true,
      true,
      false,
    ]);
  });

  test('a site goes to the team naming it, else to a team of every site', () => {
    const all = teamSchema.parse({ id: 'all' });
    expect(teamOf([all, team], 'demo')?.id).toBe('north');
    expect(teamOf([all, team], 'other')?.id).toBe('all');
    expect(teamOf([team], 'other')).toBeUndefined();
  });
});

describe('quiet hours and chain steps', () => {
  test.each([
    [{ from: '22:00', to: '07:00' }, '23:30', true],
    [{ from: '22:00', to: '07:00' }, '06:59', true],
    [{ from: '22:00', to: '07:00' }, '07:00', false],
    [{ from: '12:00', to: '13:00' }, '12:30', true],
    [null, '03:00', false],
  ])('%o at %s: %s', (quiet, at, expected) => {
    expect(inQuietHours(quiet, monday(at), 'Asia/Shanghai')).toBe(expected);
  });

  const steps = notifySettingsSchema.parse({}).chains.general.steps;
  test.each([
    ['at the raise: the on-call step', 0, [], [0]],
    ['29 min on, step 0 sent: nothing', 29 * 60_000, [0], []],
    ['30 min on: the supervisor', 30 * 60_000, [0], [1]],
    ['a clock that went back: nothing new', -60_000, [], []],
  ])('%s', (_name, offset, sent, due) => {
    expect(dueAlarmSteps(steps, 1_000_000, 1_000_000 + offset, new Set(sent))).toEqual(due);
  });
});

describe('messages and secrets', () => {
  test('rendered from code and params in the reader language', () => {
    const params = {
      station: 'st1',
      fault: 'pump_trip',
      subject: 'pump[2]',
      severity: 'major',
      at: monday('09:05'),
    };
    expect(renderMessage('alarm.raised', params, 'zh-CN').subject).toBe('【重大告警】st1：水泵跳闸');
    expect(renderMessage('alarm.raised', params, 'en', 'UTC').body).toContain('(pump 2) at 2026-03-02 01:05');
  });

  test('secrets are masked in answers and kept when sent back masked', () => {
    const stored = notifySettingsSchema.parse({
      smtp: { host: 'smtp.example.com', from: 'a@example.com', user: 'a', password: 'pw' },
      webhooks: [{ id: 'w', url: 'https://example.com/h', secret: 'a-secret-of-sixteen+' }],
    });
    const masked = maskSecrets(stored);
    expect([masked.smtp?.password, masked.webhooks[0]?.secret]).toEqual([SECRET_MASK, SECRET_MASK]);
    const kept = keepSecrets(notifySettingsSchema.parse(masked), stored);
    expect(kept).toEqual({ settings: stored, unknown: [] });
    const newHook = notifySettingsSchema.parse({
      webhooks: [{ id: 'new', url: 'https://e.com', secret: SECRET_MASK }],
    });
    expect(keepSecrets(newHook, stored).unknown).toEqual(['webhooks.new.secret']);
  });
});

describe('when quiet hours end', () => {
  test.each([
    ['inside, before midnight: the next morning', { from: '22:00', to: '07:00' }, '23:30', '07:00', 1],
    ['inside, after midnight: the same morning', { from: '22:00', to: '07:00' }, '06:59', '07:00', 0],
    ['at the end itself: not quiet, now', { from: '22:00', to: '07:00' }, '07:00', '07:00', 0],
    ['a midday break', { from: '12:00', to: '13:00' }, '12:00', '13:00', 0],
    ['no quiet hours: now', null, '03:00', '03:00', 0],
  ])('%s', (_name, quiet, at, end, days) => {
    expect(quietHoursEnd(quiet, monday(at), 'Asia/Shanghai')).toBe(monday(end) + days * DAY);
  });

  test('seconds into a quiet minute: the end is still on the minute', () => {
    expect(quietHoursEnd({ from: '22:00', to: '07:00' }, monday('06:30') + 42_123, 'Asia/Shanghai')).toBe(
      monday('07:00'),
    );
  });

  test('what overrides quiet hours: a major fault, or a step to whoever is on call', () => {
    expect([
      overridesQuiet({ severity: 'major' }),
      overridesQuiet({ severity: 'general', onCall: true }),
      overridesQuiet({ severity: 'general', onCall: false }),
      overridesQuiet({}),
    ]).toEqual([true, true, false, false]);
  });
});
