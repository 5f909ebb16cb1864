import { PHOTO_LIMITS, type PHOTO_TYPES } from '../../core/api/portal.ts';
import type { MessageCode, MessageParams } from '../../core/i18n/render.ts';

export type PhotoType = (typeof PHOTO_TYPES)[number];
export interface PhotoRefusal {
  code: MessageCode;
  params: MessageParams;
  reason: string;
}
export type PhotoVerdict = { type: PhotoType } | PhotoRefusal;

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) =>
  bytes.length >= at + prefix.length && prefix.every((byte, i) => bytes[at + i] === byte);

/**
 * What an uploaded photo really is, by its first bytes (the browser's content type is the sender's
 * word only): JPEG, PNG or WebP, not empty and not over the size limit. Pure.
 */
export function checkPhoto(bytes: Uint8Array): PhotoVerdict {
  if (bytes.length === 0) return { code: 'error.photoEmpty', params: {}, reason: 'the photo is empty' };
  if (bytes.length > PHOTO_LIMITS.maxBytes) return tooLarge();
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { type: 'image/jpeg' };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { type: 'image/png' };
  // RIFF <size> WEBP
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8))
    return { type: 'image/webp' };
  return {
    code: 'error.photoType',
    params: {},
    reason: 'a photo must be a JPEG, PNG or WebP image (by its content, not its name)',
  };
}

export function tooLarge(): PhotoRefusal {
  const max = PHOTO_LIMITS.maxBytes / 1_000_000;
  return { code: 'error.photoTooLarge', params: { max }, reason: `a photo may be at most ${max} MB` };
}
