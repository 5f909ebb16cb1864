import { v1WritePath } from './influx-writer.ts';

export interface DirectWriteTarget {
  url: string;
  writeApi: 'v1' | 'v2';
  /** Authorization and other headers of every request. */
  headers: Record<string, string>;
  /** v2 organization; '' for 1.x and 3.x. */
  org: string;
  /** Bucket (v2) or database[/retention policy] (v1). */
  bucket: string;
  /** Default 10 000 ms. */
  timeoutMs?: number;
}

/** A write InfluxDB did not take. `retriable`: 429, 5xx or no answer (a retry may help); else fix the data. */
export class InfluxWriteError extends Error {
  override name = 'InfluxWriteError';
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retriable: boolean,
  ) {
    super(message);
  }
}

/**
 * One write request, no buffer and no retries: resolves once InfluxDB answered 204, so the
 * caller may acknowledge the data upstream. Timestamps in the lines are ms.
 */
export function writeLinesNow(target: DirectWriteTarget, lines: readonly string[]): Promise<void> {
  return writeBodyNow(target, lines.join('\n'));
}

/** writeLinesNow for lines already joined by newlines (lineProtocolBody's bytes); an empty body sends nothing. */
export async function writeBodyNow(target: DirectWriteTarget, body: string | Uint8Array): Promise<void> {
  if (body.length === 0) return;
  const v2 = `/api/v2/write?${new URLSearchParams({ org: target.org, bucket: target.bucket, precision: 'ms' })}`;
  const path = target.writeApi === 'v1' ? v1WritePath(v2) : v2;
  let response: Response;
  try {
    response = await fetch(`${target.url}${path}`, {
      method: 'POST',
      headers: { ...target.headers, 'content-type': 'text/plain; charset=utf-8' },
      body,
      signal: AbortSignal.timeout(target.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new InfluxWriteError(
      `InfluxDB write to ${target.url} failed: ${(error as Error).message}`,
      undefined,
      true,
    );
  }
  if (response.status === 204 || response.status === 200) {
    await response.body?.cancel();
    return;
  }
  const text = (await response.text().catch(() => '')).slice(0, 300);
  throw new InfluxWriteError(
    `InfluxDB answered ${response.status} to a write: ${text}`,
    response.status,
    response.status === 429 || response.status >= 500,
  );
}
