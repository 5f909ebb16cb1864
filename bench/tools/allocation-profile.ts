// What a running process allocates, garbage included: attaches to its inspector (start it with
// `--inspect=127.0.0.1:<port>`, e.g. BENCH_SERVER_NODE_FLAGS for the server the bench tools start),
// samples every allocation for a while and prints the functions that allocated most, with the
// stacks above the largest:
//   node bin/run-ts.js bench/tools/allocation-profile.ts <port> <seconds> [out.heapprofile]
// V8's sampling heap profiler keeps only what is still alive unless told to keep the collected
// samples too; those are what make an allocation rate.
import { writeFileSync } from 'node:fs';
import WebSocket from 'ws';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

const [portArg = '9339', secondsArg = '60', out] = process.argv.slice(2);
const seconds = Number(secondsArg);
const targets = (await (await fetch(`http://127.0.0.1:${portArg}/json/list`)).json()) as Array<{
  webSocketDebuggerUrl: string;
}>;
const socket = new WebSocket(targets[0]!.webSocketDebuggerUrl);
await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
let nextId = 1;
const pending = new Map<number, (result: unknown) => void>();
socket.on('message', (data) => {
  const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: unknown };
  if (message.id === undefined) return;
  if (message.error) console.error('inspector error', message.error);
  pending.get(message.id)?.(message.result);
});
const call = (method: string, params: object = {}) =>
  new Promise<unknown>((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    socket.send(JSON.stringify({ id, method, params }));
  });

await call('HeapProfiler.enable');
await call('HeapProfiler.startSampling', {
  samplingInterval: 64 * 1024,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const { profile } = (await call('HeapProfiler.stopSampling')) as { profile: { head: ProfileNode } };
socket.close();
if (out) writeFileSync(out, JSON.stringify(profile));

const self = new Map<string, number>();
const stacks = new Map<string, Map<string, number>>();
let total = 0;
const nameOf = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.replace(/^.*\/(node_modules\/|main\/|wt-[^/]+\/)/, '')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
};
const walk = (node: ProfileNode, path: string[]) => {
  const name = nameOf(node);
  total += node.selfSize;
  self.set(name, (self.get(name) ?? 0) + node.selfSize);
  if (node.selfSize > 0) {
    const callers = stacks.get(name) ?? new Map<string, number>();
    const stack = path.slice(-6).join(' < ');
    callers.set(stack, (callers.get(stack) ?? 0) + node.selfSize);
    stacks.set(name, callers);
  }
  for (const child of node.children) walk(child, [...path, name].slice(-8));
};
walk(profile.head, []);
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
console.log(`sampled ${mb(total)} MiB in ${seconds} s: ${mb(total / seconds)} MiB/s`);
const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 30);
for (const [name, bytes] of top) {
  console.log(`${((bytes / total) * 100).toFixed(1).padStart(5)}% ${mb(bytes).padStart(7)} MiB  ${name}`);
}
for (const [name] of top.slice(0, 12)) {
  console.log(`\n${name}, called from:`);
  const callers = [...(stacks.get(name) ?? [])].sort((a, b) => b[1] - a[1]).slice(0, 4);
  for (const [stack, bytes] of callers)
    console.log(`  ${((bytes / total) * 100).toFixed(1)}%  ${stack.split(' < ').reverse().join(' < ')}`);
}
