import { execFileSync } from 'node:child_process';

/** The PDF's text as poppler's pdftotext lays it out (one table row a line). */
export function pdfText(pdf: Uint8Array): string {
  return execFileSync('pdftotext', ['-layout', '-', '-'], {
    input: pdf,
    maxBuffer: 32 * 1024 * 1024,
  }).toString('utf8');
}

/** Fetches `/api<path>` as `role` with the test-role header and returns the bytes. */
export async function fetchBytes(
  base: string,
  path: string,
  role: string,
): Promise<{ status: number; type: string; bytes: Uint8Array }> {
  const response = await fetch(`${base}/api${path}`, { headers: { 'x-test-role': role } });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    bytes: new Uint8Array(await response.arrayBuffer()),
  };
}
