// What a V8 .heapsnapshot holds, by constructor (or native kind), with one retainer path for each of
// the largest; two snapshots given, what grew between them:
//   node bin/run-ts.js bench/tools/heap-snapshot-summary.ts <snapshot> [later snapshot] [n]
// ArrayBuffer backing stores (Buffers: the process's "external" memory) show as
// `native:system / JSArrayBufferData`; their retainers say who holds them.
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: {
    meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

interface Parsed {
  kinds: Map<string, { count: number; bytes: number }>;
  /** The retainer paths (depth 4) holding most of a kind's bytes, largest first. */
  holders: (kind: string, top: number) => Array<{ path: string; bytes: number }>;
}

function parse(file: string): Parsed {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const { node_fields, node_types, edge_fields, edge_types } = snap.snapshot.meta;
  const nodeSize = node_fields.length;
  const edgeSize = edge_fields.length;
  const [typeAt, nameAt, selfAt, edgeCountAt] = ['type', 'name', 'self_size', 'edge_count'].map((f) =>
    node_fields.indexOf(f),
  ) as [number, number, number, number];
  const [edgeTypeAt, edgeNameAt, toAt] = ['type', 'name_or_index', 'to_node'].map((f) =>
    edge_fields.indexOf(f),
  ) as [number, number, number];
  const nodeTypes = node_types[0];
  const edgeTypes = edge_types[0];
  const { nodes, edges, strings } = snap;
  const count = nodes.length / nodeSize;
  // One strong retainer per node (the first met), enough to tell who holds a kind.
  const parent = new Int32Array(count).fill(-1);
  const parentEdge = new Int32Array(count).fill(-1);
  let edgeIndex = 0;
  for (let n = 0; n < count; n++) {
    const edgeCount = nodes[n * nodeSize + edgeCountAt]!;
    for (let e = 0; e < edgeCount; e++, edgeIndex += edgeSize) {
      const kind = edgeTypes[edges[edgeIndex + edgeTypeAt]!];
      if (kind === 'weak' || kind === 'shortcut') continue;
      const to = edges[edgeIndex + toAt]! / nodeSize;
      if (parent[to] === -1) {
        parent[to] = n;
        parentEdge[to] = edgeIndex;
      }
    }
  }
  const label = (n: number) => {
    const type = nodeTypes[nodes[n * nodeSize + typeAt]!];
    const name = strings[nodes[n * nodeSize + nameAt]!] ?? '';
    return type === 'object' || type === 'closure' ? name : `${type}:${name.slice(0, 60)}`;
  };
  const kinds = new Map<string, { count: number; bytes: number }>();
  for (let n = 0; n < count; n++) {
    const key = label(n);
    const entry = kinds.get(key) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += nodes[n * nodeSize + selfAt]!;
    kinds.set(key, entry);
  }
  const pathOf = (node: number, depthMax: number) => {
    const steps: string[] = [];
    let at = node;
    for (let depth = 0; depth < depthMax && parent[at]! >= 0; depth++) {
      const edge = parentEdge[at]!;
      const kind = edgeTypes[edges[edge + edgeTypeAt]!];
      const name = edges[edge + edgeNameAt]!;
      const via = kind === 'element' || kind === 'hidden' ? `[${name}]` : `.${strings[name]}`;
      at = parent[at]!;
      steps.push(`${label(at)}${via}`);
    }
    return steps.join(' < ');
  };
  const holders = (kind: string, top: number) => {
    const byPath = new Map<string, number>();
    for (let n = 0; n < count; n++) {
      if (label(n) !== kind) continue;
      // Element and hidden indices vary by object: a path is told by its labels.
      const path = pathOf(n, 4).replace(/\[\d+\]/g, '[]');
      byPath.set(path, (byPath.get(path) ?? 0) + nodes[n * nodeSize + selfAt]!);
    }
    return [...byPath]
      .sort((x, y) => y[1] - x[1])
      .slice(0, top)
      .map(([path, bytes]) => ({ path, bytes }));
  };
  return { kinds, holders };
}

const args = process.argv.slice(2);
const n = Number(args.find((a) => /^\d+$/.test(a)) ?? 25);
const [first, second] = args.filter((a) => !/^\d+$/.test(a));
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(2);
const a = parse(first!);
if (!second) {
  const total = [...a.kinds.values()].reduce((sum, k) => sum + k.bytes, 0);
  console.log(`${mb(total)} MiB in all`);
  for (const [kind, k] of [...a.kinds].sort((x, y) => y[1].bytes - x[1].bytes).slice(0, n)) {
    console.log(`${mb(k.bytes).padStart(8)} MiB ${String(k.count).padStart(8)}  ${kind}`);
    for (const h of a.holders(kind, 3)) console.log(`  ${mb(h.bytes).padStart(8)} MiB  < ${h.path}`);
  }
} else {
  const b = parse(second);
  const grown = [...b.kinds].map(([kind, k]) => {
    const before = a.kinds.get(kind);
    return {
      kind,
      bytes: k.bytes - (before?.bytes ?? 0),
      count: k.count - (before?.count ?? 0),
    };
  });
  for (const g of grown.sort((x, y) => y.bytes - x.bytes).slice(0, n)) {
    console.log(`${mb(g.bytes).padStart(8)} MiB ${String(g.count).padStart(8)}  ${g.kind}`);
    for (const h of b.holders(g.kind, 3)) console.log(`  ${mb(h.bytes).padStart(8)} MiB  < ${h.path}`);
  }
}
