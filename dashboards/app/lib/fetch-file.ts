import { refusalText } from './api.ts';
import type { Locale } from './format.ts';

/**
 * Fetches a file the API serves behind the bearer token and hands it to the browser as a download.
 * A refusal throws the API's ApiError, its sentence in `locale`.
 */
export async function downloadFile(
  token: string,
  path: string,
  fileName: string,
  locale: Locale,
): Promise<void> {
  const response = await fetch(`/api${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw refusalText(locale, response.status, await response.json().catch(() => ({})));
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
