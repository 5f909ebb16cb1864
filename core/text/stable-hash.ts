/**
 * FNV-1a of a text's UTF-16 code units, as an unsigned 32-bit number: the same on every instance and
 * every run, to spread work (partitions to claim first, minutes to judge in) by a name.
 */
export function stableHash(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619) >>> 0;
  return hash;
}
