import { PHOTO_LIMITS } from '../../../../core/api/portal.ts';
import { ApiError } from '../../lib/api.ts';

/** The longest side a photo is sent at: enough to read a nameplate, a few hundred kB as JPEG. */
const MAX_SIDE = 1600;

/**
 * A phone's photo made small enough to send: drawn at most MAX_SIDE px on its long side and encoded
 * as JPEG, lowering the quality until it fits the server's limit. Undefined for a file no browser
 * can decode as a picture.
 */
export async function shrinkPhoto(file: File): Promise<Blob | undefined> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return undefined;
  }
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  for (const quality of [0.85, 0.7, 0.55, 0.4]) {
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
    if (blob && blob.size <= PHOTO_LIMITS.maxBytes) return blob;
  }
  return undefined;
}

/** POST /api/portal/photos with the photo's bytes as the body; the photo's id. */
export async function uploadPhoto(token: string, photo: Blob): Promise<number> {
  const response = await fetch('/api/portal/photos', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': photo.type || 'image/jpeg' },
    body: photo,
  });
  const json = (await response.json().catch(() => ({}))) as { photo?: { id: number }; error?: string };
  if (!response.ok || !json.photo)
    throw new ApiError(response.status, json.error ?? `HTTP ${response.status}`);
  return json.photo.id;
}

/**
 * A picture as a data: URL for an <img>: the server's content security policy admits data: images
 * but not blob: ones.
 */
export function dataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/** A ticket's photo as a data: URL (the API wants the bearer token, which an <img src> cannot send). */
export async function photoUrl(token: string, ticket: number, photo: number): Promise<string> {
  const response = await fetch(`/api/tickets/${ticket}/photos/${photo}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw new ApiError(response.status, `HTTP ${response.status}`);
  return await dataUrl(await response.blob());
}
