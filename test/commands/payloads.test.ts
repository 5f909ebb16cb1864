import { describe, expect, test } from 'vitest';
import { authorizePublishTopic, authorizeSubscribeFilter } from '../../broker/acl.ts';
import {
  commandMessageSchema,
  commandRequestSchema,
  commandResultSchema,
} from '../../core/commands/payloads.ts';
import { parseCommandTopic, topics } from '../../core/telemetry/topics.ts';

const ID = '3b241101-e2bb-4255-8caf-4136c566a962';
const NOW = Date.now();

describe('command request (API body)', () => {
  test.each<[string, unknown, string | undefined]>([
    ['reset a pump', { command: 'reset_trip', pump: 2 }, undefined],
    ['set point', { command: 'set_pressure', value: 4.2 }, undefined],
    ['stop confirmed twice', { command: 'stop_pump', pump: 1, confirmLastPump: true }, undefined],
    ['ttl inside the cap', { command: 'start_pump', pump: 3, ttlMs: 120_000 }, undefined],
    ['pump command without pump', { command: 'reset_trip' }, 'pump'],
    ['set point without value', { command: 'set_pressure' }, 'value'],
    ['set point with a pump', { command: 'set_pressure', value: 4, pump: 1 }, 'pump'],
    ['pump command with a value', { command: 'start_pump', pump: 1, value: 1 }, 'value'],
    ['pump 0', { command: 'stop_pump', pump: 0 }, 'pump'],
    ['pump 1.5', { command: 'stop_pump', pump: 1.5 }, 'pump'],
    ['NaN value', { command: 'set_pressure', value: Number.NaN }, 'value'],
    ['ttl past the cap', { command: 'reset_trip', pump: 1, ttlMs: 120_001 }, 'ttlMs'],
    ['ttl too short', { command: 'reset_trip', pump: 1, ttlMs: 100 }, 'ttlMs'],
    ['unknown command', { command: 'open_valve' }, 'command'],
    ['unknown field', { command: 'reset_trip', pump: 1, force: true }, ''],
  ])('%s', (_name, body, failingField) => {
    const parsed = commandRequestSchema.safeParse(body);
    expect(parsed.success).toBe(failingField === undefined);
    if (failingField) expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(failingField);
  });
});

const message = {
  v: 1,
  id: ID,
  site: 'demo',
  station: 'st1',
  kind: 'reset_trip',
  pump: 1,
  issuedAt: NOW,
  expiresAt: NOW + 30_000,
  by: 'operator',
};

describe('command message (MQTT, server to edge)', () => {
  test.each<[string, Record<string, unknown>, boolean]>([
    ['as the server sends it', {}, true],
    ['expiry before issue', { expiresAt: NOW - 1 }, false],
    ['id not a uuid', { id: 'abc' }, false],
    ['station with a slash', { station: 'st/1' }, false],
    ['issuedAt in ms before 2000', { issuedAt: 1000, expiresAt: 2000 }, false],
    ['another version', { v: 2 }, false],
    ['no author', { by: '' }, false],
  ])('%s', (_name, change, ok) => {
    expect(commandMessageSchema.safeParse({ ...message, ...change }).success).toBe(ok);
  });
});

const result = {
  v: 1,
  id: ID,
  site: 'demo',
  station: 'st1',
  edge: 'edge-1',
  status: 'confirmed',
  readBack: false,
  ts: NOW,
};

describe('command result (MQTT, edge to server)', () => {
  test.each<[string, Record<string, unknown>, boolean]>([
    ['confirmed with its read-back', {}, true],
    ['refused with a code', { status: 'refused', code: 'not_confirmed' }, true],
    ['refused without a code', { status: 'refused' }, false],
    ['confirmed with a code', { code: 'expired' }, false],
    ['unknown code', { status: 'refused', code: 'because' }, false],
    ['detail too long', { detail: 'x'.repeat(501) }, false],
    ['read-back as a string', { readBack: 'on' }, false],
  ])('%s', (_name, change, ok) => {
    expect(commandResultSchema.safeParse({ ...result, ...change }).success).toBe(ok);
  });
});

describe('topics and the broker rule of the command link', () => {
  test.each([
    [topics.commands('demo', 'st1'), { kind: 'commands', site: 'demo', station: 'st1' }],
    [topics.commandResults('demo', 'st1'), { kind: 'commandResults', site: 'demo', station: 'st1' }],
    ['aftercare/v1/demo/st1/telemetry', undefined],
    ['aftercare/v1/demo/st 1/commands', undefined],
    ['aftercare/v1/demo/st1/commands/x', undefined],
  ])('%s', (topic, parsed) => {
    expect(parseCommandTopic(topic)).toEqual(parsed);
  });

  const edge = { role: 'edge', site: 'demo' } as const;
  const server = { role: 'server' } as const;
  test.each([
    ['edge answers on its site', edge, topics.commandResults('demo', 'st1'), true],
    ['edge never sends a command', edge, topics.commands('demo', 'st2'), false],
    ['edge answers for another site', edge, topics.commandResults('other', 'st1'), false],
    ['server sends a command', server, topics.commands('demo', 'st1'), true],
    ['server never forges a result', server, topics.commandResults('demo', 'st1'), false],
  ])('publish: %s', (_name, subject, topic, allowed) => {
    expect(authorizePublishTopic(subject, topic).allowed).toBe(allowed);
  });
  test('the server reads every result; an edge its own station commands', () => {
    expect(authorizeSubscribeFilter(server, topics.allCommandResults).allowed).toBe(true);
    expect(authorizeSubscribeFilter(edge, topics.commands('demo', 'st1')).allowed).toBe(true);
  });
});
