import { describe, expect, test } from 'vitest';
import { type AclSubject, authorizePublishTopic, authorizeSubscribeFilter } from '../../broker/acl.ts';
import { topics } from '../../core/telemetry/topics.ts';

/** An edge provisioned through /api/edges: site north, stations n1 and n2 only. */
const gw1: AclSubject = {
  role: 'edge',
  site: 'north',
  edge: { id: 'gw1', stations: new Set(['n1', 'n2']), credentialVersion: 1 },
};
/** The same with a station called "edge", which must not open the edges' status subtree. */
const gwOdd: AclSubject = {
  role: 'edge',
  site: 'north',
  edge: { id: 'gw9', stations: new Set(['edge']), credentialVersion: 1 },
};

describe('publish ACL of a provisioned edge', () => {
  test.each<[string, AclSubject, string, boolean]>([
    ['own station telemetry', gw1, topics.telemetry('north', 'n1'), true],
    ['own station events', gw1, topics.events('north', 'n2'), true],
    ['own station, a reply topic below it', gw1, 'aftercare/v1/north/n1/commands/42/result', true],
    ['own status (and last will)', gw1, topics.edgeStatus('north', 'gw1'), true],
    ["another edge's station, same site", gw1, topics.telemetry('north', 'n3'), false],
    ["another edge's status", gw1, topics.edgeStatus('north', 'gw2'), false],
    ['another site, same station id', gw1, topics.telemetry('south', 'n1'), false],
    ['site name prefix', gw1, topics.telemetry('north2', 'n1'), false],
    ["its stations' commands (the server's way down)", gw1, 'aftercare/v1/north/n1/commands', false],
    ['the station root itself', gw1, 'aftercare/v1/north/n1', false],
    ['outside the tree', gw1, 'other/topic', false],
    ['$SYS', gw1, '$SYS/x', false],
    ['a station named "edge" is not the status tree', gwOdd, topics.edgeStatus('north', 'gw2'), false],
    ['a station named "edge" cannot publish under it', gwOdd, 'aftercare/v1/north/edge/telemetry', false],
  ])('%s', (_name, subject, topic, allowed) => {
    expect(authorizePublishTopic(subject, topic).allowed).toBe(allowed);
  });
});

describe('subscribe ACL of a provisioned edge', () => {
  test.each<[string, AclSubject, string, boolean]>([
    ["its station's commands", gw1, 'aftercare/v1/north/n1/commands', true],
    ["its station's subtree", gw1, 'aftercare/v1/north/n2/#', true],
    ['its own edge subtree', gw1, 'aftercare/v1/north/edge/gw1/#', true],
    ["every station's commands of the site", gw1, 'aftercare/v1/north/+/commands', false],
    ['the whole site', gw1, topics.siteTree('north'), false],
    ["another edge's station", gw1, 'aftercare/v1/north/n3/commands', false],
    ['another site', gw1, 'aftercare/v1/south/n1/commands', false],
    ['all edges', gw1, 'aftercare/v1/north/edge/#', false],
    ['everything', gw1, '#', false],
  ])('%s', (_name, subject, filter, allowed) => {
    expect(authorizeSubscribeFilter(subject, filter).allowed).toBe(allowed);
  });

  test('a denial names the edge', () => {
    const decision = authorizePublishTopic(gw1, topics.telemetry('north', 'n3'));
    expect(decision).toEqual({ allowed: false, reason: expect.stringContaining('"gw1"') });
  });
});
