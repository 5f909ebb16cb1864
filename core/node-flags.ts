/**
 * Whether a V8 flag (`--max-opt`, `--heap-growing-percent=50`: the name counts) was given to node on
 * its command line or in NODE_OPTIONS. Settings a process applies to itself at start leave such a
 * flag alone: the operator's choice wins.
 */
export function nodeFlagGiven(
  flag: string,
  env: NodeJS.ProcessEnv = process.env,
  execArgv: readonly string[] = process.execArgv,
): boolean {
  const given = `${execArgv.join(' ')} ${env.NODE_OPTIONS ?? ''}`.replaceAll('_', '-');
  return given.includes(flag.split('=')[0]!);
}
