import { encodeTag } from '../core/modbus/codec.ts';
import type { Profile } from '../core/profile/schema.ts';
import type { ModbusSource } from './modbus-source.ts';

/** A write the edge refuses before touching the device. Retrying the same write does not help. */
export class WriteRejectedError extends Error {
  override name = 'WriteRejectedError';
}

/**
 * Writes one engineering value (a set point) by tag meaning. The value is checked against the
 * tag's type and range first; a bool on one bit of a holding register is read, changed and written
 * back so the register's other bits keep their state.
 */
export async function writeTagValue(
  profile: Profile,
  source: ModbusSource,
  meaning: string,
  value: number | boolean,
): Promise<void> {
  const tag = profile.tags.find((t) => t.meaning === meaning);
  if (!tag) throw new WriteRejectedError(`profile ${profile.model} has no tag with meaning "${meaning}"`);
  if (!tag.writable)
    throw new WriteRejectedError(`tag ${tag.name} (${meaning}) is not writable in ${profile.model}`);
  if (tag.type === 'bool') {
    if (typeof value !== 'boolean')
      throw new WriteRejectedError(`${meaning} takes true or false, got ${value}`);
  } else if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new WriteRejectedError(`${meaning} takes a finite number, got ${value}`);
  } else if (tag.range && (value < tag.range.min || value > tag.range.max)) {
    throw new WriteRejectedError(
      `${meaning} = ${value} is outside ${tag.range.min}..${tag.range.max} ${tag.unit}`,
    );
  }
  if (tag.area === 'coil') {
    await source.write('coil', tag.address, [Boolean(value)]);
    return;
  }
  if (tag.type === 'bool' && tag.bit !== undefined) {
    const [word = 0] = (await source.read('holding', tag.address, 1)) as number[];
    const mask = 1 << tag.bit;
    await source.write('holding', tag.address, [value ? word | mask : word & ~mask & 0xffff]);
    return;
  }
  await source.write('holding', tag.address, encodeTag(tag, value));
}
