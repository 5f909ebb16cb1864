import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

/** The gateway and server install files in deploy/: systemd units, sysusers, Dockerfiles. */
const ROOT = resolve(import.meta.dirname, '../..');
const DEPLOY = join(ROOT, 'deploy');
const INSTALL = '/opt/aftercare/';
const UNITS = [
  ['aftercare-broker.service', 'broker'],
  ['aftercare-server.service', 'server'],
  ['aftercare-edge.service', 'edge'],
] as const;

/** A unit file as sections of key/value lists (a key may repeat: DeviceAllow). */
function parseUnit(text: string): Map<string, Array<[string, string]>> {
  const sections = new Map<string, Array<[string, string]>>();
  let current: Array<[string, string]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      current = [];
      sections.set(header[1]!, current);
      continue;
    }
    const at = line.indexOf('=');
    if (!current || at < 1) throw new Error(`not a key=value line outside or inside a section: ${line}`);
    current.push([line.slice(0, at), line.slice(at + 1)]);
  }
  return sections;
}

const value = (section: Array<[string, string]> | undefined, key: string) =>
  section?.filter(([k]) => k === key).map(([, v]) => v) ?? [];

/** Paths under the install that must come from this repository (built ones excepted). */
function installedPaths(text: string): string[] {
  return [...text.matchAll(/\/opt\/aftercare\/([\w./-]+)/g)]
    .map((match) => match[1]!)
    .filter((path) => !path.startsWith('dashboards/dist') && !path.startsWith('dist/'));
}

describe('systemd units', () => {
  test.each(UNITS)(
    '%s: a dedicated user, a restart policy, state directories, hardening',
    (file, command) => {
      const unit = parseUnit(readFileSync(join(DEPLOY, file), 'utf8'));
      const service = unit.get('Service');
      expect([...unit.keys()]).toEqual(['Unit', 'Service', 'Install']);
      expect(value(service, 'User')).toEqual(['aftercare']);
      expect(value(service, 'Group')).toEqual(['aftercare']);
      expect(value(service, 'Restart')[0]).toMatch(/^(on-failure|always)$/);
      expect(value(service, 'StateDirectory')[0]).toMatch(/^aftercare\//);
      for (const [key, expected] of [
        ['NoNewPrivileges', 'yes'],
        ['ProtectSystem', 'strict'],
        ['ProtectHome', 'yes'],
        ['PrivateTmp', 'yes'],
        ['CapabilityBoundingSet', ''],
      ])
        expect(value(service, key!), key).toEqual([expected]);
      const exec = value(service, 'ExecStart')[0] ?? '';
      expect(exec).toMatch(new RegExp(`^/usr/bin/node ${INSTALL}bin/aftercare\\.js ${command}\\b`));
      expect(value(unit.get('Install'), 'WantedBy')).toEqual(['multi-user.target']);
    },
  );

  test.each(UNITS)('%s: every file it names under the install exists in the repository', (file) => {
    const paths = installedPaths(readFileSync(join(DEPLOY, file), 'utf8'));
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) expect(existsSync(join(ROOT, path)), path).toBe(true);
  });

  test('the server writes the provisioned-edges file where the broker reads it', () => {
    const server = readFileSync(join(DEPLOY, 'aftercare-server.service'), 'utf8');
    const broker = readFileSync(join(DEPLOY, 'aftercare-broker.service'), 'utf8');
    const file = /AFTERCARE_EDGES_FILE=(\S+)/.exec(server)?.[1];
    expect(file).toBe('/var/lib/aftercare/edges/provisioned-edges.json');
    expect(broker).toContain(`--edges-file ${file}`);
    expect(value(parseUnit(server).get('Service'), 'StateDirectory')[0]).toContain('aftercare/edges');
  });

  test('systemd-analyze verify finds nothing to say (or, without systemd, the parse above stands)', () => {
    const probe = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
    if (probe.error) {
      // Not a systemd machine: the structure was checked by parseUnit above.
      expect((probe.error as NodeJS.ErrnoException).code).toBe('ENOENT');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'aftercare-units-'));
    try {
      // verify checks that ExecStart's program exists: point it at this machine's node.
      const files = UNITS.map(([file]) => {
        const target = join(dir, file);
        writeFileSync(
          target,
          readFileSync(join(DEPLOY, file), 'utf8').replaceAll('/usr/bin/node', process.execPath),
        );
        return target;
      });
      const result = spawnSync('systemd-analyze', ['verify', ...files], { encoding: 'utf8' });
      expect(result.stderr.trim()).toBe('');
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the server runs with two malloc arenas, in the unit as in its image', () => {
    const service = parseUnit(readFileSync(join(DEPLOY, 'aftercare-server.service'), 'utf8')).get('Service');
    expect(value(service, 'Environment').flatMap((line) => line.split(/\s+/))).toContain(
      'MALLOC_ARENA_MAX=2',
    );
    const image = readFileSync(join(DEPLOY, 'server.Dockerfile'), 'utf8');
    expect(image).toMatch(/^ENV .*\bMALLOC_ARENA_MAX=2\b/m);
  });

  test('sysusers creates the dedicated user', () => {
    const text = readFileSync(join(DEPLOY, 'aftercare.sysusers.conf'), 'utf8');
    expect(text).toMatch(/^u aftercare - "[^"]+" \/var\/lib\/aftercare$/m);
    expect(text).toMatch(/^m aftercare dialout$/m);
  });
});

describe('Dockerfiles', () => {
  test.each([
    ['server.Dockerfile', 'server'],
    ['edge.Dockerfile', 'edge'],
  ])('%s: multi-stage on node:20-slim, copies only files that exist, runs as a user', (file, command) => {
    const text = readFileSync(join(DEPLOY, file), 'utf8');
    const lines = text.split('\n').filter((line) => !line.startsWith('#'));
    const stages = lines.filter((line) => line.startsWith('FROM '));
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage).toMatch(/^FROM node:20-slim AS \w+$/);
    const copies = lines.filter((line) => line.startsWith('COPY ') && !line.includes('--from='));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      const sources = copy.split(/\s+/).slice(1, -1);
      for (const source of sources) expect(existsSync(join(ROOT, source)), `${file}: ${copy}`).toBe(true);
    }
    for (const copy of lines.filter((line) => line.includes('--from='))) {
      const [, stage] = /--from=(\w+)/.exec(copy) ?? [];
      expect(
        stages.some((s) => s.endsWith(` AS ${stage}`)),
        copy,
      ).toBe(true);
    }
    expect(lines.some((line) => /^USER aftercare$/.test(line))).toBe(true);
    const entry = lines.find((line) => line.startsWith('ENTRYPOINT')) ?? '';
    expect(entry).toContain('/opt/aftercare/bin/aftercare.js');
    expect(`${entry} ${lines.find((line) => line.startsWith('CMD')) ?? ''}`).toContain(`"${command}"`);
  });
});
