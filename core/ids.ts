import { z } from 'zod';

/**
 * Site, edge, station, contract, customer and plan ids: 1-64 letters, digits, _ or -. They are MQTT
 * topic segments and URL path segments, so nothing needs escaping in either.
 */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const ID_RULE = '1-64 letters, digits, _ or -';
export const idSchema = z.string().regex(ID_PATTERN, `is not ${ID_RULE}`);

export function isId(text: string): boolean {
  return ID_PATTERN.test(text);
}
