import { ID_PATTERN } from '../../core/ids.ts';
import { QUALITIES, STATION_STATES, type Telemetry } from '../../core/telemetry/payloads.ts';

const TELEMETRY_KEYS = new Set(['v', 'site', 'station', 'edge', 'model', 'seq', 'ts', 'state', 'values']);
const QUALITY_SET: ReadonlySet<string> = new Set(QUALITIES);
const STATE_SET: ReadonlySet<string> = new Set(STATION_STATES);
const MIN_TS = 946684800000;
const MAX_TS = 4102444800000;
const MAX_VALUES = 512;

/**
 * The telemetry schema (telemetrySchema) checked by hand for the one shape every edge sends, ~10x
 * faster than zod at 1,000 messages a second. It only ever says yes to what telemetrySchema accepts
 * unchanged (a test holds the two together on valid and mangled payloads); anything it does not
 * recognise, zod judges and describes. The parsed JSON is fresh and unshared, so it is returned as is.
 */
export function fastTelemetry(json: unknown): Telemetry | undefined {
  if (!isPlainObject(json)) return undefined;
  const m = json as Record<string, unknown>;
  let keys = 0;
  for (const key in m) {
    if (!TELEMETRY_KEYS.has(key)) return undefined;
    keys += 1;
  }
  if (keys !== TELEMETRY_KEYS.size) return undefined;
  if (m.v !== 1 || !isId(m.site) || !isId(m.station) || !isId(m.edge)) return undefined;
  const { model, seq, ts, state, values } = m;
  if (typeof model !== 'string' || model.length < 1 || model.length > 128) return undefined;
  if (!Number.isSafeInteger(seq) || (seq as number) < 0) return undefined;
  if (!Number.isSafeInteger(ts) || (ts as number) < MIN_TS || (ts as number) > MAX_TS) return undefined;
  if (typeof state !== 'string' || !STATE_SET.has(state)) return undefined;
  if (!isPlainObject(values)) return undefined;
  let count = 0;
  for (const meaning in values as object) {
    if (meaning.length > 64 || meaning === '__proto__') return undefined;
    if (++count > MAX_VALUES) return undefined;
    if (!isValue((values as Record<string, unknown>)[meaning])) return undefined;
  }
  return json as Telemetry;
}

function isValue(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const o = value as Record<string, unknown>;
  let keys = 0;
  for (const key in o) {
    if (key !== 'v' && key !== 'q') return false;
    keys += 1;
  }
  if (keys !== 2) return false;
  const v = o.v;
  if (!(v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))) return false;
  return typeof o.q === 'string' && QUALITY_SET.has(o.q);
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function isId(value: unknown): boolean {
  return typeof value === 'string' && ID_PATTERN.test(value);
}
