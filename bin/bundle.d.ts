// Types for the TypeScript that imports bin/bundle.js (its tests).
export function escapeNonAscii(source: string): string;
export function bundleIsFresh(name: 'edge' | 'server'): boolean;
export function buildBundle(name: 'edge' | 'server'): Promise<void>;
export const bundlePath: (name: 'edge' | 'server') => string;
