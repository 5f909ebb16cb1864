import { describe, expect, test } from 'vitest';
import { roomRequestSchema, scopeOf, siteRoom, stationRoom } from '../../core/live/events.ts';
import { TypedEmitter } from '../../core/live/typed-emitter.ts';

describe('live events', () => {
  const alarm = { id: 1, site: 's1', station: 'st1', status: 'active_unack' };
  const ticket = { id: 2, state: 'new', site: 's2', station: 'st2' };
  test.each([
    ['an alarm', 'alarm', { change: 'raised', alarm }, { site: 's1', station: 'st1' }],
    [
      'a shelf',
      'alarm',
      { change: 'shelved', shelf: { id: 3, site: 's3', station: 'st3', until: 1 } },
      { site: 's3', station: 'st3' },
    ],
    ['a ticket', 'ticket', { change: 'opened', ticket }, { site: 's2', station: 'st2' }],
    [
      'a health update',
      'health',
      { site: 's4', station: 'st4', at: 1, health: { station: { score: 90 }, pumps: {} } },
      { site: 's4', station: 'st4' },
    ],
  ] as const)('%s is scoped to its site and station', (_what, event, payload, scope) => {
    expect(scopeOf(event, payload as never)).toMatchObject(scope);
  });

  test.each([
    [{ site: 'a' }, true],
    [{ station: 'st1' }, true],
    [{ site: 'a', station: 'st1' }, true],
    [{ site: 'a/b' }, false],
    [{ station: '' }, false],
    [{ site: 'a', extra: 1 }, false],
    [{}, false],
  ])('subscribe %j is accepted: %s', (request, ok) => {
    expect(roomRequestSchema.safeParse(request).success).toBe(ok);
  });

  test('rooms of one station name its site, so equal station ids of two sites never share one', () => {
    expect(stationRoom('east', 'st1')).not.toBe(stationRoom('west', 'st1'));
    expect(siteRoom('east')).toBe('site:east');
  });
});

describe('typed emitter', () => {
  test('listeners get their payloads; off and the returned function remove them', () => {
    const events = new TypedEmitter<{ a: number; b: string }>();
    const got: unknown[] = [];
    const listener = (n: number) => got.push(n);
    events.on('a', listener);
    const stop = events.on('b', (s) => got.push(s));
    events.emit('a', 1);
    events.emit('b', 'x');
    events.off('a', listener);
    stop();
    events.emit('a', 2);
    events.emit('b', 'y');
    expect(got).toEqual([1, 'x']);
    expect(events.listenerCount('a')).toBe(0);
  });

  test('with onError, a failing listener is reported and the others still run', () => {
    const errors: unknown[] = [];
    const events = new TypedEmitter<{ a: number }>((error) => errors.push(error));
    const got: number[] = [];
    events.on('a', () => {
      throw new Error('boom');
    });
    events.on('a', (n) => got.push(n));
    events.emit('a', 7);
    expect(got).toEqual([7]);
    expect(errors).toMatchObject([{ message: 'boom' }]);
  });

  test('without onError, a failing listener throws at the emitter, as node events do', () => {
    const events = new TypedEmitter<{ a: number }>();
    events.on('a', () => {
      throw new Error('boom');
    });
    expect(() => events.emit('a', 1)).toThrow('boom');
  });
});
