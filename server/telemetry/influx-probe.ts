/** What an InfluxDB server said about itself, and how we will write to it. */
export interface InfluxServerInfo {
  /** X-Influxdb-Version as reported, or 'unknown'. */
  version: string;
  /** Major version parsed from it (undefined when the server did not say). */
  major?: number;
  /**
   * `v1`: POST /write?db= (InfluxDB 1.x before 1.8, which has no /api/v2/write).
   * `v2`: POST /api/v2/write?org=&bucket= (2.x, 3.x, Cloud, and 1.8+ in compatibility mode).
   */
  writeApi: 'v1' | 'v2';
}

/** Picks the write API from a version string such as `1.6.7~rc0`, `v2.7.4` or `3.0.1`. */
export function chooseWriteApi(version: string): Pick<InfluxServerInfo, 'major' | 'writeApi'> {
  const match = /^v?(\d+)\.(\d+)/.exec(version.trim());
  // A server that does not say (InfluxDB Cloud, some proxies) is a current one.
  if (!match) return { writeApi: 'v2' };
  const major = Number(match[1]);
  const minor = Number(match[2]);
  const writeApi = major < 1 || (major === 1 && minor < 8) ? 'v1' : 'v2';
  return { major, writeApi };
}

/** Asks the server what it is through /ping (204 with an X-Influxdb-Version header on every version). */
export async function probeInflux(
  url: string,
  headers: Record<string, string>,
  timeoutMs = 5000,
): Promise<InfluxServerInfo> {
  let response: Response;
  try {
    response = await fetch(`${url}/ping`, { headers, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new Error(
      `InfluxDB at ${url} did not answer /ping (${(error as Error).message}); is INFLUX_URL right and the server up? Retrying later may help.`,
    );
  }
  await response.body?.cancel();
  // 401 from a server that wants a token for /ping still tells its version.
  if (response.status >= 500) {
    throw new Error(
      `InfluxDB at ${url} answered /ping with HTTP ${response.status}; retrying later may help`,
    );
  }
  const version = response.headers.get('x-influxdb-version') ?? 'unknown';
  return { version, ...chooseWriteApi(version) };
}
