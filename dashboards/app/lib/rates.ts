/** One sample of a counter family from GET /api/system. */
export interface CounterSample {
  name: string;
  values: { labels: Record<string, string | number>; value: number }[];
}

export interface CounterRow {
  key: string;
  value: number;
  /** Per second since the previous sample; null on the first. */
  rate: number | null;
}

function keyOf(name: string, labels: Record<string, string | number>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return parts.length ? `${name}{${parts.join(',')}}` : name;
}

/**
 * Flattens counter families into rows with a per-second rate against the previous poll. A counter
 * that went down (a restart) has no rate. Pure.
 */
export function counterRows(
  previous: { at: number; counters: CounterSample[] } | undefined,
  next: { at: number; counters: CounterSample[] },
): CounterRow[] {
  const before = new Map<string, number>();
  for (const family of previous?.counters ?? []) {
    for (const sample of family.values) before.set(keyOf(family.name, sample.labels), sample.value);
  }
  const seconds = previous ? (next.at - previous.at) / 1000 : 0;
  return next.counters.flatMap((family) =>
    family.values.map((sample) => {
      const key = keyOf(family.name, sample.labels);
      const old = before.get(key);
      // Only counters have a rate; gauges (queue depth, connected) are shown as they are.
      const counter = family.name.endsWith('_total');
      const rate =
        counter && old !== undefined && seconds > 0 && sample.value >= old
          ? (sample.value - old) / seconds
          : null;
      return { key, value: sample.value, rate };
    }),
  );
}

/**
 * Nested counters ({mqtt: {reconnects: 2}, totals: {...}}) as `mqtt.reconnects` rows of numbers,
 * strings and booleans, at most `depth` levels down. Pure.
 */
export function flattenStats(stats: Record<string, unknown>, depth = 3, prefix = ''): [string, string][] {
  return Object.entries(stats).flatMap(([key, value]): [string, string][] => {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
      return [[name, String(value)]];
    }
    if (value && typeof value === 'object' && !Array.isArray(value) && depth > 1) {
      return flattenStats(value as Record<string, unknown>, depth - 1, name);
    }
    return [];
  });
}
