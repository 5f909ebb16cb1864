import type { Telemetry } from '../../core/telemetry/payloads.ts';
import type { BadPayloadReason } from '../../server/ingest/classify.ts';

/** One generated message and the reason the server must give for refusing it. */
export interface BadCase {
  kind: string;
  topic: string;
  payload: Buffer;
  reason: BadPayloadReason;
}

export const FUZZ_SITE = 'fuzz';

/** mulberry32: a small seeded PRNG, so a failing case can be generated again. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function telemetryTopic(station: string, site = FUZZ_SITE): string {
  return `aftercare/v1/${site}/${station}/telemetry`;
}

/** A valid telemetry message. */
export function goodTelemetry(station: string, seq: number, ts: number): Telemetry {
  return {
    v: 1,
    site: FUZZ_SITE,
    station,
    edge: 'edge-fuzz',
    model: 'booster-3p-380',
    seq,
    ts,
    state: 'ok',
    values: {
      'pump[1].running': { v: true, q: 'good' },
      'pressure.outlet': { v: 4.2 + (seq % 10) / 100, q: 'good' },
    },
  };
}

type Generator = (random: () => number, i: number) => Omit<BadCase, 'kind'>;

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const station = (random: () => number) => `st${1 + Math.floor(random() * 3)}`;
const base = (random: () => number, i: number) => goodTelemetry(station(random), i, Date.UTC(2026, 0, 1) + i);
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/** Generators by kind; each yields payloads the server must refuse, with the reason it must count. */
export const GENERATORS: Record<string, Generator> = {
  randomBytes: (random) => {
    const bytes = Buffer.alloc(1 + Math.floor(random() * 300));
    for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256);
    bytes[0] = 0xff; // never valid UTF-8, so never JSON by chance
    return { topic: telemetryTopic(station(random)), payload: bytes, reason: 'invalid_json' };
  },
  truncatedJson: (random, i) => {
    const text = JSON.stringify(base(random, i));
    return {
      topic: telemetryTopic(station(random)),
      payload: Buffer.from(text.slice(0, Math.floor(random() * text.length))),
      reason: 'invalid_json',
    };
  },
  wrongTypes: (random, i) => {
    const message = base(random, i) as unknown as Record<string, unknown>;
    const field = pick(random, ['v', 'seq', 'ts', 'state', 'values', 'model', 'edge'] as const);
    const wrong = pick(random, ['5', -1, 1.5, null, true, [], {}, 'x'.repeat(100)] as const);
    message[field] = field === 'seq' && wrong === 'x'.repeat(100) ? '7' : wrong;
    // Some wrong values are right for some fields (a `{}` for values is an empty record): keep to
    // ones the schema refuses.
    if (field === 'values' && (wrong === null || typeof wrong !== 'object' || Array.isArray(wrong)))
      return { topic: telemetryTopic(message.station as string), payload: json(message), reason: 'schema' };
    if (field === 'values') message.values = { 'pump[1].running': { v: 'on', q: 'good' } };
    if (field === 'model' && typeof wrong === 'string') message.model = 42;
    if (field === 'edge' && typeof wrong === 'string' && wrong !== '5') message.edge = 'bad edge id';
    if (field === 'edge' && wrong === '5') message.edge = 5;
    if (field === 'state' && wrong === 'x'.repeat(100)) message.state = 'exploded';
    return { topic: telemetryTopic(message.station as string), payload: json(message), reason: 'schema' };
  },
  nanAndInfinity: (random, i) => {
    const message = base(random, i);
    const text = JSON.stringify(message);
    const literal = pick(random, ['NaN', 'Infinity', '-Infinity', '1e999', '-1e999'] as const);
    const payload = Buffer.from(
      text.replace('"v":4.2', `"v":${literal}`).replace(/"v":4\.\d+/, `"v":${literal}`),
    );
    // 1e999 is valid JSON that parses to Infinity: the schema refuses it; NaN is not JSON at all.
    return {
      topic: telemetryTopic(message.station),
      payload,
      reason: literal.includes('e999') ? 'schema' : 'invalid_json',
    };
  },
  farTimestamps: (random, i) => {
    const message = base(random, i);
    message.ts = pick(random, [0, -1, 946684799999, 4102444800001, 8.64e15, Date.UTC(1990, 0, 1)]);
    return { topic: telemetryTopic(message.station), payload: json(message), reason: 'schema' };
  },
  hugeArrays: (random, i) => {
    const message = base(random, i) as unknown as Record<string, unknown>;
    if (i % 50 === 0) {
      // Past the server's 256 KiB limit: refused before parsing.
      message.values = new Array(60_000).fill(1234567);
      return {
        topic: telemetryTopic(message.station as string),
        payload: json(message),
        reason: 'too_large',
      };
    }
    message.values =
      random() < 0.5
        ? Array.from({ length: 1 + Math.floor(random() * 2000) }, (_, j) => j)
        : Object.fromEntries(
            Array.from({ length: 513 + Math.floor(random() * 100) }, (_, j) => [
              `x[${j}]`,
              { v: j, q: 'good' },
            ]),
          );
    return { topic: telemetryTopic(message.station as string), payload: json(message), reason: 'schema' };
  },
  unknownStations: (random, i) => {
    const message = base(random, i);
    const variant = Math.floor(random() * 2);
    if (variant === 0) {
      // The payload names another station than its topic.
      return { topic: telemetryTopic('st9'), payload: json(message), reason: 'topic_mismatch' };
    }
    // Topics the server subscribes to (so the broker delivers them) naming no valid station or edge.
    return {
      topic: pick(random, [
        telemetryTopic('st 1!'),
        telemetryTopic('x'.repeat(65)),
        'aftercare/v1/fuzz/st.1/events',
        'aftercare/v1/fuzz/edge/bad id/status',
      ]),
      payload: json(message),
      reason: 'unknown_topic',
    };
  },
};

/** `count` bad cases, spread evenly over the generators, reproducible from `seed`. */
export function generateBadCases(count: number, seed = 1): BadCase[] {
  const random = prng(seed);
  const kinds = Object.keys(GENERATORS);
  return Array.from({ length: count }, (_, i) => {
    const kind = kinds[i % kinds.length]!;
    return { kind, ...GENERATORS[kind]!(random, i) };
  });
}
