import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aftercare, type Component } from './processes.ts';

/**
 * The fault drill's edge moved onto a small real filesystem (a tmpfs mounted for the row; the drill
 * runs as root) and back: the same config and edge id, its spool copied over so seqs continue.
 */
export class EdgeOnSmallDisk {
  readonly mountPoint: string;
  readonly spoolDir: string;
  readonly edge: Component;
  #mounted = false;

  constructor(
    readonly dir: string,
    readonly name: string,
    /** The drill's edge config (JSON) and its spool directory. */
    readonly config: string,
    readonly spool: string,
  ) {
    this.mountPoint = join(dir, `${name}-mnt`);
    this.spoolDir = join(this.mountPoint, 'spool');
    const edited = JSON.parse(readFileSync(config, 'utf8')) as { spool: Record<string, unknown> };
    edited.spool = { ...edited.spool, dir: this.spoolDir, retryMs: 1000 };
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(edited));
    this.edge = aftercare('edge', 'edge', ['--config', file, '--stats-every', '0']);
  }

  /** Mounts a tmpfs of `size` (e.g. 8m) with the drill's spool on it; `readOnly` remounts it so. */
  mount(size: string, options: { readOnly?: boolean } = {}): void {
    mkdirSync(this.mountPoint, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', this.mountPoint]);
    this.#mounted = true;
    cpSync(this.spool, this.spoolDir, { recursive: true });
    if (options.readOnly) execFileSync('mount', ['-o', 'remount,ro', this.mountPoint]);
  }

  /** Something else fills the disk: a ballast file until ENOSPC. */
  fill(): void {
    const chunk = Buffer.alloc(64 * 1024, 1);
    try {
      for (let i = 0; i < 100_000; i++) writeFileSync(this.#ballast, chunk, { flag: 'a' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    }
  }

  free(): void {
    unlinkSync(this.#ballast);
  }

  /** After the edge stopped: its spool back where the drill's edge keeps it, and the tmpfs gone. */
  unmount(options: { keepSpool: boolean }): void {
    if (!this.#mounted) return;
    if (options.keepSpool) {
      rmSync(this.spool, { recursive: true, force: true });
      cpSync(this.spoolDir, this.spool, { recursive: true });
    }
    try {
      execFileSync('umount', [this.mountPoint]);
    } catch {
      execFileSync('umount', ['-l', this.mountPoint]);
    }
    this.#mounted = false;
  }

  get #ballast(): string {
    return join(this.mountPoint, 'ballast');
  }
}
