import { tagWidth } from '../core/modbus/codec.ts';
import { lowerBoundReads, planReads, type ReadRequest } from '../core/modbus/request-planner.ts';
import { loadProfile } from '../core/profile/load.ts';
import type { Profile, Tag } from '../core/profile/schema.ts';
import { DEFAULT_PROFILE } from '../simulators/config.ts';

export type WideTag = Tag & { width: number };

/** The reference profile the benchmarks simulate and poll. */
export function referenceProfile(): Profile {
  return loadProfile(DEFAULT_PROFILE);
}

export function tagsOf(profile: Profile, classes: ReadonlyArray<'fast' | 'slow'>): WideTag[] {
  return profile.tags.filter((t) => classes.includes(t.poll)).map((t) => ({ ...t, width: tagWidth(t) }));
}

/** Lower bounds of reads per cycle (core/modbus/request-planner.ts). */
export function readBounds(profile: Profile): { fast: number; all: number } {
  return {
    fast: lowerBoundReads(tagsOf(profile, ['fast'])),
    all: lowerBoundReads(tagsOf(profile, ['fast', 'slow'])),
  };
}

/** The reads the edge makes in a cycle of both classes, with its default gap tolerance. */
export function cycleReads(profile: Profile): ReadRequest<WideTag>[] {
  return planReads(tagsOf(profile, ['fast', 'slow']));
}
