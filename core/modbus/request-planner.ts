import { isBitArea, type RegisterArea } from '../profile/schema.ts';

/** Protocol limits of one read (Modbus application protocol v1.1b3, function codes 1-4). */
export const MAX_REGISTERS_PER_READ = 125;
export const MAX_BITS_PER_READ = 2000;

export interface PlannableTag {
  area: RegisterArea;
  address: number;
  /** Addresses the tag occupies (1 for bits and 16-bit words, 2 for 32-bit values). */
  width: number;
}

export interface ReadRequest<T extends PlannableTag = PlannableTag> {
  area: RegisterArea;
  address: number;
  count: number;
  /** The tags this read serves, each with its offset into the returned block. */
  tags: Array<{ tag: T; index: number }>;
}

export interface PlannerOptions {
  /** Unused registers a read may span to save a request. Default 32: on TCP 64 extra bytes cost far less than a round trip; on a slow RTU line set it lower. */
  maxRegisterGap?: number;
  /** Unused bits a read may span. Default 256 (32 bytes). */
  maxBitGap?: number;
}

export function limitOf(area: RegisterArea): number {
  return isBitArea(area) ? MAX_BITS_PER_READ : MAX_REGISTERS_PER_READ;
}

/**
 * Groups tags into the fewest reads per area within the protocol limits, spanning gaps no wider
 * than the tolerated gap. Greedy over sorted addresses is optimal for covering points with windows
 * of bounded length, so with unlimited gap tolerance this returns the lower bound.
 */
export function planReads<T extends PlannableTag>(
  tags: readonly T[],
  options: PlannerOptions = {},
): ReadRequest<T>[] {
  const byArea = new Map<RegisterArea, T[]>();
  for (const tag of tags) {
    if (tag.width < 1 || tag.width > limitOf(tag.area)) {
      throw new RangeError(
        `tag at ${tag.area} ${tag.address} has width ${tag.width}, outside 1..${limitOf(tag.area)}`,
      );
    }
    const list = byArea.get(tag.area) ?? [];
    list.push(tag);
    byArea.set(tag.area, list);
  }
  const reads: ReadRequest<T>[] = [];
  for (const [area, list] of byArea) {
    const limit = limitOf(area);
    const maxGap = isBitArea(area) ? (options.maxBitGap ?? 256) : (options.maxRegisterGap ?? 32);
    list.sort((a, b) => a.address - b.address || b.width - a.width);
    let current: ReadRequest<T> | undefined;
    for (const tag of list) {
      const end = tag.address + tag.width;
      if (current) {
        const currentEnd = current.address + current.count;
        const gap = tag.address - currentEnd;
        if (gap <= maxGap && end - current.address <= limit) {
          current.count = Math.max(currentEnd, end) - current.address;
          current.tags.push({ tag, index: tag.address - current.address });
          continue;
        }
      }
      current = { area, address: tag.address, count: tag.width, tags: [{ tag, index: 0 }] };
      reads.push(current);
    }
  }
  return reads;
}

/** The fewest reads that can cover these tags at all (any gap tolerated). */
export function lowerBoundReads(tags: readonly PlannableTag[]): number {
  return planReads(tags, { maxRegisterGap: Number.POSITIVE_INFINITY, maxBitGap: Number.POSITIVE_INFINITY })
    .length;
}
