import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadProfile } from '../../core/profile/load.ts';

// Every profile shipped in profiles/ loads, is named for its file, and the real controllers' ones
// cite their manual and carry every label in both languages.
const files = readdirSync('profiles')
  .filter((file) => file.endsWith('.yaml'))
  .map((file) => `profiles/${file}`);
const vendorFiles = files.filter((file) => !file.endsWith('booster-3p-380.yaml'));

describe('shipped profiles', () => {
  test('there are at least three profiles of real controllers', () => {
    expect(vendorFiles.length).toBeGreaterThanOrEqual(3);
  });

  test.each(files)('%s loads and its model is its file name', (file) => {
    expect(loadProfile(file).model).toBe(basename(file, '.yaml'));
  });

  test.each(vendorFiles)('%s cites its manual and says how a booster station uses it', (file) => {
    const header = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('#'))
      .join('\n');
    expect(header).toMatch(/# Source: .*(manual|guide)/i);
    expect(header).toContain('Booster station use:');
  });

  test.each(vendorFiles)('%s: every alarm code and enumeration label has a Chinese text', (file) => {
    const profile = loadProfile(file);
    const labels = profile.tags.flatMap((tag) => [
      ...Object.values(tag.alarmCodes ?? {}),
      ...Object.values(tag.enum ?? {}),
    ]);
    expect(profile.tags.some((tag) => tag.alarmCodes && tag.meaning.endsWith('alarm_code'))).toBe(true);
    expect(labels.length).toBeGreaterThan(5);
    for (const label of labels) expect(label.zh, `${file}: "${label.en}"`).toMatch(/\p{Script=Han}/u);
  });
});
