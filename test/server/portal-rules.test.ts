import { describe, expect, test } from 'vitest';
import { PHOTO_LIMITS } from '../../core/api/portal.ts';
import { parsePortalRoute, portalHref } from '../../dashboards/app/pages/portal/portal-route.ts';
import { feedbackView } from '../../server/portal/feedback-state.ts';
import { checkPhoto } from '../../server/portal/photo-check.ts';
import { satisfactionRows } from '../../server/portal/satisfaction.ts';

const DAY = 86_400_000;
const bytes = (...values: number[]) => new Uint8Array(values);

describe('a photo is what its first bytes say', () => {
  test.each([
    ['JPEG', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10), 'image/jpeg'],
    ['PNG', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0), 'image/png'],
    ['WebP', bytes(0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50, 0x56), 'image/webp'],
  ])('%s', (_name, data, type) => {
    expect(checkPhoto(data)).toEqual({ type });
  });

  test.each([
    ['empty', bytes(), 'error.photoEmpty'],
    ['a GIF', new TextEncoder().encode('GIF89a....'), 'error.photoType'],
    ['RIFF but a WAV', new TextEncoder().encode('RIFF....WAVEfmt '), 'error.photoType'],
    ['half a PNG signature', bytes(0x89, 0x50, 0x4e), 'error.photoType'],
    [
      'a JPEG one byte too large',
      Object.assign(new Uint8Array(PHOTO_LIMITS.maxBytes + 1), [0xff, 0xd8, 0xff]),
      'error.photoTooLarge',
    ],
  ])('%s is refused', (_name, data, code) => {
    expect(checkPhoto(data)).toMatchObject({ code });
  });
});

describe('result feedback: due 3 days after resolution', () => {
  const resolved = { id: 7, resolved_at: 1_000 * DAY };
  test.each([
    ['not resolved', { id: 7, resolved_at: null }, undefined, 0, 'pending', null],
    ['resolved today', resolved, undefined, 1_000 * DAY + 1, 'due', 1_003 * DAY],
    ['on the due moment', resolved, undefined, 1_003 * DAY, 'due', 1_003 * DAY],
    ['a moment after', resolved, undefined, 1_003 * DAY + 1, 'overdue', 1_003 * DAY],
    [
      'given, even late',
      resolved,
      { ticketId: 7, doneAt: 1_005 * DAY, doneBy: 'svc', note: 'called' },
      1_010 * DAY,
      'done',
      1_003 * DAY,
    ],
  ] as const)('%s', (_name, ticket, record, now, state, dueAt) => {
    expect(feedbackView(ticket, record, now)).toMatchObject({ ticketId: 7, state, dueAt });
  });
});

test('satisfaction rows: averages to 2 places, response rate over closed tickets, null without data', () => {
  expect(
    satisfactionRows([
      {
        customer: 'a',
        name: 'A',
        surveys: 3,
        scoreSum: 13,
        aspectSums: { timeliness: { sum: 10, n: 3 } },
        closed: 4,
        closedSurveyed: 3,
      },
      { customer: 'b', name: 'B', surveys: 0, scoreSum: 0, aspectSums: {}, closed: 0, closedSurveyed: 0 },
    ]),
  ).toEqual([
    {
      customer: 'a',
      name: 'A',
      surveys: 3,
      average: 4.33,
      aspects: { timeliness: 3.33 },
      closed: 4,
      responseRate: 0.75,
    },
    { customer: 'b', name: 'B', surveys: 0, average: null, aspects: {}, closed: 0, responseRate: null },
  ]);
});

test('portal routes: every address a customer opens is a portal page', () => {
  expect(parsePortalRoute('#/portal')).toEqual({ page: 'home' });
  expect(parsePortalRoute('#/engineer')).toEqual({ page: 'home' });
  expect(parsePortalRoute('#/portal/request?station=st2')).toEqual({ page: 'request', station: 'st2' });
  expect(parsePortalRoute('#/portal/request?station=<x>')).toEqual({ page: 'request' });
  expect(parsePortalRoute('#/portal/tickets/42')).toEqual({ page: 'ticket', id: 42 });
  expect(parsePortalRoute('#/portal/tickets/4x')).toEqual({ page: 'home' });
  for (const route of [
    { page: 'home' },
    { page: 'request', station: 'st1' },
    { page: 'ticket', id: 3 },
  ] as const)
    expect(parsePortalRoute(portalHref(route))).toEqual(route);
});
