/** Seeded random numbers kept as plain data, so a station state can be copied and replayed. */
export interface RngState {
  /** mulberry32 state (a 32-bit integer). */
  s: number;
}

export function createRng(seed: number): RngState {
  return { s: Math.trunc(seed) | 0 };
}

/** Uniform in [0, 1) (mulberry32). */
export function uniform(rng: RngState): number {
  rng.s = (rng.s + 0x6d2b79f5) | 0;
  let t = rng.s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Standard normal (Box-Muller). */
export function gaussian(rng: RngState): number {
  const u = 1 - uniform(rng);
  const v = uniform(rng);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A seed for a sub-stream (one per station), so stations do not share noise. */
export function deriveSeed(seed: number, salt: string): number {
  let h = Math.trunc(seed) ^ 0x9e3779b9;
  for (let i = 0; i < salt.length; i++) h = Math.imul(h ^ salt.charCodeAt(i), 0x01000193);
  return h | 0;
}
