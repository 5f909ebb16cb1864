import { describe, expect, test } from 'vitest';
import { checkClientId } from '../../broker/client-ids.ts';
import type { ClientIdentity } from '../../broker/identity.ts';
import type { ProvisionedEdges } from '../../broker/provisioned-edges.ts';
import type { ProvisionedEdge } from '../../core/edges/provisioned-edges.ts';

const provisionedEdge = (edgeId: string) =>
  ({
    edgeId,
    username: `edge-${edgeId}`,
    site: 'north',
    stations: [],
    credentialVersion: 1,
  }) as unknown as ProvisionedEdge;
const provisioned: ProvisionedEdges = new Map([
  ['edge-gw1', provisionedEdge('gw1')],
  ['edge-gw1-b', provisionedEdge('gw1-b')],
]);

type Who = Pick<ClientIdentity, 'role' | 'username' | 'edge'>;
const gw1: Who = {
  role: 'edge',
  username: 'edge-gw1',
  edge: { id: 'gw1', stations: new Set(), credentialVersion: 1 },
};
const siteEdge: Who = { role: 'edge', username: 'edge-north' };
const server: Who = { role: 'server', username: 'srv' };
const viewer: Who = { role: 'viewer', username: 'viewer' };
const admin: Who = { role: 'admin', username: 'root' };

describe('client ids a user may connect with', () => {
  test.each<[string, Who, string, boolean]>([
    ['provisioned edge: its edge id', gw1, 'gw1', true],
    ['provisioned edge: its edge id with a suffix', gw1, 'gw1-spool', true],
    ["provisioned edge: the edge agent's default", gw1, 'aftercare-edge-gw1', true],
    ['provisioned edge: its user name', gw1, 'edge-gw1', true],
    ["provisioned edge: a longer edge id's forms are that edge's", gw1, 'gw1-b', false],
    ["provisioned edge: another edge's default", gw1, 'aftercare-edge-gw1-b', false],
    ['provisioned edge: any other id', gw1, 'probe', false],
    ['provisioned edge: the server prefix', gw1, 'aftercare-server-x', false],
    ['site edge: its user name forms', siteEdge, 'edge-north-1', true],
    ['site edge: the edge agent default', siteEdge, 'aftercare-edge-n1', true],
    ["site edge: a provisioned edge's id", siteEdge, 'aftercare-edge-gw1', false],
    ['site edge: anything else', siteEdge, 'n1', false],
    ['server: random server id', server, 'aftercare-server-3f2a', true],
    ['server: its user name forms', server, 'srv-ingest', true],
    ["server: an edge's id", server, 'aftercare-edge-gw1', false],
    ['server: another id', server, 'ingest-1', false],
    ['viewer: its user name', viewer, 'viewer', true],
    ['viewer: its user name with a suffix', viewer, 'viewer-laptop', true],
    ["viewer: the server's id", viewer, 'aftercare-server-3f2a', false],
    ["viewer: an edge's id", viewer, 'aftercare-edge-gw1', false],
    ["viewer: a provisioned edge's id", viewer, 'gw1', false],
    ['viewer: a name that only starts like its user name', viewer, 'viewerx', false],
    ['viewer: an id aedes made up for an empty one', viewer, 'aedes_8c1e', true],
    ['admin: anything', admin, 'aftercare-server-3f2a', true],
  ])('%s', (_name, who, id, allowed) => {
    expect(checkClientId(who, id, provisioned).allowed).toBe(allowed);
  });

  test('a refusal says which ids the user may use', () => {
    expect(checkClientId(viewer, 'aftercare-server-1', provisioned)).toEqual({
      allowed: false,
      reason: 'client id reserved for servers',
    });
    expect(checkClientId(gw1, 'probe', provisioned)).toEqual({
      allowed: false,
      reason: expect.stringContaining('"gw1"'),
    });
  });
});
