import { describe, expect, test } from 'vitest';
import type { CommandView } from '../../core/commands/payloads.ts';
import {
  type PumpState,
  pumpCommands,
  stopsLastPump,
  withCommand,
} from '../../dashboards/app/lib/command-choices.ts';

const pump = (n: number, change: Partial<PumpState> = {}): PumpState => ({
  pump: n,
  running: false,
  tripped: false,
  duty: false,
  ...change,
});

describe('the commands panel offers what makes sense now', () => {
  test.each<[string, PumpState, string]>([
    ['running duty pump', pump(1, { running: true, duty: true }), 'stop_pump'],
    ['standing standby pump', pump(3), 'switch_duty,start_pump'],
    ['tripped pump', pump(2, { tripped: true }), 'reset_trip'],
    ['tripped duty pump', pump(1, { tripped: true, duty: true }), 'reset_trip'],
    ['running assist pump', pump(2, { running: true }), 'switch_duty,stop_pump'],
  ])('%s', (_name, state, kinds) => {
    expect(pumpCommands(state).join()).toBe(kinds);
  });

  test.each<[string, PumpState[], number, boolean]>([
    ['the only running pump', [pump(1, { running: true }), pump(2)], 1, true],
    ['one of two running', [pump(1, { running: true }), pump(2, { running: true })], 1, false],
    ['a pump that stands while another runs', [pump(1, { running: true }), pump(2)], 2, false],
    ['nothing runs (the page is behind): ask', [pump(1), pump(2)], 1, true],
  ])('stop %s: second confirmation %s', (_name, states, n, asks) => {
    expect(stopsLastPump({ kind: 'stop_pump', pump: n }, states)).toBe(asks);
    expect(stopsLastPump({ kind: 'start_pump', pump: n }, states)).toBe(false);
  });

  test('a live update replaces its older copy, newest first, at most 10', () => {
    const c = (id: string, issuedAt: number, status: CommandView['status'] = 'pending') =>
      ({ id, issuedAt, status }) as CommandView;
    const list = Array.from({ length: 10 }, (_, i) => c(`c${i}`, 1000 - i));
    const merged = withCommand(list, c('c3', 997, 'confirmed'));
    expect(merged.map((x) => x.id)).toEqual(list.map((x) => x.id));
    expect(merged[3]?.status).toBe('confirmed');
    expect(withCommand(list, c('new', 2000))[0]?.id).toBe('new');
    expect(withCommand(list, c('new', 2000))).toHaveLength(10);
  });
});
