import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { loadProfile } from '../../core/profile/load.ts';
import { QUALITIES, telemetrySchema } from '../../core/telemetry/payloads.ts';
import { classifyMessage } from '../../server/ingest/classify.ts';
import { fastTelemetry } from '../../server/ingest/telemetry-fast-check.ts';
import { prng } from '../fuzz/bad-payloads.ts';

const random = prng(21);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** A message as an edge sends it for a real profile: every tag, values and qualities of all kinds. */
const loaded = new Map<string, ReturnType<typeof loadProfile>>();
function edgeMessage(profileFile: string, seq: number): Record<string, unknown> {
  const profile = loaded.get(profileFile) ?? loadProfile(`profiles/${profileFile}`);
  loaded.set(profileFile, profile);
  const values: Record<string, unknown> = {};
  for (const tag of profile.tags) {
    const q = pick(QUALITIES);
    const v =
      q === 'comms_failed' || q === 'not_available'
        ? null
        : tag.type === 'bool'
          ? random() < 0.5
          : Math.round((random() - 0.2) * 1e5) / 100;
    values[tag.meaning] = { v, q };
  }
  return {
    v: 1,
    site: 'plant-7',
    station: `st_${seq}`,
    edge: 'edge-A',
    model: profile.model,
    seq,
    ts: Date.now() - Math.floor(random() * 86_400_000),
    state: pick(['ok', 'degraded', 'comms_failed']),
    values,
  };
}

/** The message's values, made an object again if an earlier mutation replaced them. */
function valuesOf(m: Record<string, unknown>): Record<string, unknown> {
  if (typeof m.values !== 'object' || m.values === null || Array.isArray(m.values)) m.values = {};
  return m.values as Record<string, unknown>;
}

/** One random change of the kind a broken or hostile edge makes; most make the message invalid. */
const MUTATIONS: Array<(m: Record<string, unknown>) => void> = [
  (m) => delete m[pick(Object.keys(m))],
  (m) => {
    m[pick(['extra', 'values2', 'q', '__proto__'])] = 1;
  },
  (m) => {
    m[pick(Object.keys(m))] = pick([
      null,
      '1',
      1.5,
      -1,
      [],
      {},
      true,
      2 ** 53,
      'x'.repeat(129),
      '',
    ] as unknown[]);
  },
  (m) => {
    m.ts = pick([946684799999, 4102444800001, 1.5e12 + 0.5, -5, Date.now()]);
  },
  (m) => {
    m.seq = pick([-1, 0.5, 2 ** 53, 0, 7]);
  },
  (m) => {
    m[pick(['site', 'station', 'edge'])] = pick(['a b', 'x'.repeat(65), '', 'ok-id', 'é', 'a/b']);
  },
  (m) => {
    const values = valuesOf(m);
    const key = pick([...Object.keys(values), 'custom.new']);
    values[key] = pick([
      { v: 1 },
      { q: 'good' },
      { v: 1, q: 'bad' },
      { v: '1', q: 'good' },
      { v: 1, q: 'good', x: 1 },
      { v: null, q: 'stale' },
      [1, 'good'],
      null,
      { v: true, q: 'frozen' },
    ] as unknown[]);
  },
  (m) => {
    const values = valuesOf(m);
    values[pick(['x'.repeat(65), 'x'.repeat(64), 'custom.ok', ''])] = { v: 1, q: 'good' };
  },
  (m) => {
    const values: Record<string, unknown> = {};
    const n = pick([511, 512, 513]);
    for (let i = 0; i < n; i++) values[`custom.v${i}`] = { v: i, q: 'good' };
    m.values = values;
  },
  (m) => {
    m.state = pick(['ok', 'stale', 'OK', 'comms_failed']);
  },
  (m) => {
    m.v = pick([1, 2, '1']);
  },
];

describe('the telemetry fast check', () => {
  const profiles = readdirSync('profiles').filter((f) => f.endsWith('.yaml'));

  test('accepts, unchanged, every message an edge sends for each real profile', () => {
    expect(profiles.length).toBeGreaterThanOrEqual(4);
    for (const profile of profiles) {
      for (let seq = 0; seq < 50; seq++) {
        const message = JSON.parse(JSON.stringify(edgeMessage(profile, seq)));
        const fast = fastTelemetry(message);
        const zod = telemetrySchema.safeParse(message);
        expect(zod.success).toBe(true);
        expect(fast).toBe(message);
        expect(fast).toEqual(zod.data);
      }
    }
  });

  test('on mangled messages it never says yes where zod says no, and agrees on most', () => {
    let zodAccepted = 0;
    let bothAccepted = 0;
    for (let i = 0; i < 3000; i++) {
      const message = edgeMessage(pick(profiles), i);
      for (let k = 1 + Math.floor(random() * 2); k > 0; k--) pick(MUTATIONS)(message);
      // Through text, as it arrives: JSON.parse makes "__proto__" an own key, as an edge can.
      const parsed = JSON.parse(JSON.stringify(message));
      const fast = fastTelemetry(parsed);
      const zod = telemetrySchema.safeParse(parsed);
      if (zod.success) zodAccepted += 1;
      if (fast) {
        expect(zod.success, JSON.stringify(parsed).slice(0, 300)).toBe(true);
        expect(fast).toEqual(zod.data);
        bothAccepted += 1;
      }
    }
    // Mutations that leave the message valid (a fresh seq, another state) still take the fast path.
    expect(zodAccepted).toBeGreaterThan(300);
    expect(bothAccepted / zodAccepted).toBeGreaterThan(0.9);
  });

  test('a message the fast check turns down is still judged by the schema: refused with its reason', () => {
    const message = edgeMessage('booster-3p-380.yaml', 1);
    (message.values as Record<string, unknown>)['pressure.outlet'] = { v: 'high', q: 'good' };
    const classified = classifyMessage(
      'aftercare/v1/plant-7/st_1/telemetry',
      Buffer.from(JSON.stringify(message)),
    );
    expect(classified).toMatchObject({ kind: 'bad', reason: 'schema' });
    expect((classified as { detail: string }).detail).toContain('pressure.outlet');
  });
});
