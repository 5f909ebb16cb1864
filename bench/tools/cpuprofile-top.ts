// Top self-time functions of a V8 .cpuprofile (node --cpu-prof):
// `node bin/run-ts.js bench/tools/cpuprofile-top.ts <file> [n]`.
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
}

function topSelfTime(file: string, n = 15): Array<{ fn: string; share: number }> {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[] };
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${url.replace(/^.*\/(node_modules\/|wt-[^/]+\/)/, '')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + node.hitCount);
    total += node.hitCount;
  }
  const idle = byFunction.get('(idle)') ?? 0;
  const busy = total - idle;
  return [...byFunction]
    .filter(([fn]) => fn !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([fn, hits]) => ({ fn, share: hits / busy }));
}

const [file, n = '15'] = process.argv.slice(2);
for (const { fn, share } of topSelfTime(file!, Number(n))) {
  console.log(`${(share * 100).toFixed(1).padStart(5)}%  ${fn}`);
}
