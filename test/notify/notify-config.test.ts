import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { notifySettingsSchema } from '../../core/notify/settings.ts';
import {
  loadNotifySettingsFile,
  resolveServerConfig,
  serverConfigFromEnv,
  toServerOptions,
} from '../../server/config.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'notify-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The README's example file, as a user would copy it. */
async function readmeExample(): Promise<string> {
  const readme = await readFile(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Notifications and escalation'));
  const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  if (!yaml) throw new Error('no YAML example in the README section');
  return yaml;
}

test("the README's settings file loads: teams, rota past midnight, chains, SMS templates", async () => {
  const file = join(dir, 'notify.yaml');
  await writeFile(file, await readmeExample());
  const settings = notifySettingsSchema.parse(loadNotifySettingsFile(file));
  expect(settings.teams[0]?.rota).toHaveLength(2);
  expect(settings.chains.major.steps.map((s) => [s.to, s.trigger, s.afterMinutes])).toEqual([
    ['on_call', 'alarm', 0],
    ['supervisor', 'alarm', 10],
    ['manager', 'sla_at_risk', 0],
  ]);
  expect(settings.sms?.templates['alarm.raised']).toBe('SMS_123456');
  const config = resolveServerConfig(serverConfigFromEnv({ AFTERCARE_NOTIFY: file }));
  expect(config.notify).toBe(file);
  const options = toServerOptions(config, [], undefined, loadNotifySettingsFile(file));
  expect(options.service).toMatchObject({ notifySettings: { teams: [{ id: 'north' }] } });
});

test('a bad file names the field and the value', async () => {
  const file = join(dir, 'bad.yaml');
  await writeFile(file, 'chains:\n  major:\n    steps:\n      - { to: ceo }\n');
  expect(() => loadNotifySettingsFile(file)).toThrow(/chains\.major\.steps\.0\.to/);
});
