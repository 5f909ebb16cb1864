/** What every section is told about the run. */
export interface BenchContext {
  /** Repeated rounds whose median is quoted. Default 3; --quick 1. */
  rounds: number;
  /** --quick: shorter windows and fewer stations, about two minutes in all. */
  quick: boolean;
  /** Length of the server memory soak. Default 120 s (--soak-seconds). */
  soakSeconds: number;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `fn` `n` times one after another and returns the results in order. */
export async function repeat<T>(n: number, fn: (round: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let round = 0; round < n; round++) results.push(await fn(round));
  return results;
}
