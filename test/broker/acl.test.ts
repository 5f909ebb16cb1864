import { describe, expect, test } from 'vitest';
import {
  type AclSubject,
  authorizePublishTopic,
  authorizeSubscribeFilter,
  isCommandTopic,
} from '../../broker/acl.ts';
import { topics } from '../../core/telemetry/topics.ts';

const edgeNorth: AclSubject = { role: 'edge', site: 'north' };
const server: AclSubject = { role: 'server' };
const viewer: AclSubject = { role: 'viewer' };
const admin: AclSubject = { role: 'admin' };
const anonymous: AclSubject = { role: 'anonymous' };

describe('publish ACL', () => {
  test.each<[string, AclSubject, string, boolean]>([
    ['edge: own telemetry', edgeNorth, topics.telemetry('north', 'st1'), true],
    ['edge: own events', edgeNorth, topics.events('north', 'st1'), true],
    ['edge: own status (last will)', edgeNorth, topics.edgeStatus('north', 'edge-1'), true],
    ['edge: other site', edgeNorth, topics.telemetry('south', 'st1'), false],
    ['edge: site name prefix', edgeNorth, topics.telemetry('north2', 'st1'), false],
    ['edge: site root itself', edgeNorth, 'aftercare/v1/north', false],
    ['edge: outside the tree', edgeNorth, 'other/topic', false],
    ['edge: $SYS', edgeNorth, '$SYS/x/new/clients', false],
    ['server: commands', server, 'aftercare/v1/north/st1/commands', true],
    ['server: telemetry', server, topics.telemetry('north', 'st1'), false],
    ['server: commands too deep', server, 'aftercare/v1/north/st1/x/commands', false],
    ['server: commands with bad id', server, 'aftercare/v1/no rth/st1/commands', false],
    ['viewer: anything', viewer, topics.telemetry('north', 'st1'), false],
    ['viewer: commands', viewer, 'aftercare/v1/north/st1/commands', false],
    ['admin: anything', admin, 'anything/at/all', true],
    ['admin: $SYS', admin, '$SYS/broker/fake', false],
    ['anonymous: anything', anonymous, topics.telemetry('south', 'st1'), true],
  ])('%s', (_name, subject, topic, allowed) => {
    expect(authorizePublishTopic(subject, topic).allowed).toBe(allowed);
  });
});

describe('subscribe ACL', () => {
  test.each<[string, AclSubject, string, boolean]>([
    ['edge: own site tree', edgeNorth, topics.siteTree('north'), true],
    ['edge: own commands', edgeNorth, 'aftercare/v1/north/+/commands', true],
    ['edge: other site', edgeNorth, topics.siteTree('south'), false],
    ['edge: all sites', edgeNorth, topics.allTelemetry, false],
    ['edge: everything', edgeNorth, '#', false],
    ['edge: prefix trick', edgeNorth, 'aftercare/v1/north2/#', false],
    ['server: all telemetry', server, topics.allTelemetry, true],
    ['server: everything', server, '#', true],
    ['server: $SYS', server, '$SYS/#', false],
    ['viewer: all telemetry', viewer, topics.allTelemetry, true],
    ['viewer: one station', viewer, topics.events('north', 'st1'), true],
    ['viewer: $SYS', viewer, '$SYS/#', false],
    ['admin: $SYS', admin, '$SYS/#', true],
    ['anonymous: everything', anonymous, '#', true],
  ])('%s', (_name, subject, filter, allowed) => {
    expect(authorizeSubscribeFilter(subject, filter).allowed).toBe(allowed);
  });

  test('a denial says why', () => {
    const decision = authorizeSubscribeFilter(edgeNorth, '#');
    expect(decision).toEqual({ allowed: false, reason: expect.stringContaining('north') });
  });
});

test.each([
  ['aftercare/v1/a/b/commands', true],
  ['aftercare/v1/a/b/telemetry', false],
  ['aftercare/v1/+/b/commands', false],
  ['aftercare/v2/a/b/commands', false],
])('isCommandTopic(%s)', (topic, expected) => {
  expect(isCommandTopic(topic)).toBe(expected);
});
