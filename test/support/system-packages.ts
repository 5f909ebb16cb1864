import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian packages the tests start for real, with the binary that tells whether each is installed. */
export const SYSTEM_PACKAGES: Record<string, string> = {
  mosquitto: '/usr/sbin/mosquitto',
  'mosquitto-clients': '/usr/bin/mosquitto_sub',
  mbpoll: '/usr/bin/mbpoll',
  influxdb: '/usr/bin/influxd',
  'victoria-metrics': '/usr/bin/victoria-metrics',
  chromium: '/usr/bin/chromium',
  postgresql: '/usr/lib/postgresql/15/bin/postgres',
  // pdftotext reads the service record and report PDFs back as text.
  'poppler-utils': '/usr/bin/pdftotext',
  // The scale-out drill: NATS JetStream carries the stations, Redis carries socket.io between instances.
  'nats-server': '/usr/sbin/nats-server',
  'redis-server': '/usr/bin/redis-server',
};

/**
 * Installs the Debian packages a fresh machine lacks (CI runs as root on a fresh clone).
 * Runs once, from vitest's global setup.
 */
export function ensureSystemPackages(packages: Record<string, string> = SYSTEM_PACKAGES): void {
  const missing = Object.entries(packages)
    .filter(([, binary]) => !existsSync(binary))
    .map(([name]) => name);
  if (missing.length === 0) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  console.log(`installing Debian packages: ${missing.join(' ')}`);
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
    stdio: 'inherit',
    env,
  });
}
