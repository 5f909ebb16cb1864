import { ensureSystemPackages } from './system-packages.ts';

export default function setup(): void {
  ensureSystemPackages();
}
