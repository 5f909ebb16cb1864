import * as acceptance from './acceptance.ts';
import * as accounts from './accounts.ts';
import * as alarms from './alarms.ts';
import * as assets from './assets.ts';
import * as audit from './audit.ts';
import * as auth from './auth.ts';
import * as commands from './commands.ts';
import type { ApiContract } from './contract.ts';
import * as edges from './edges.ts';
import * as fleet from './fleet.ts';
import * as maintenance from './maintenance.ts';
import * as notify from './notify.ts';
import * as parts from './parts.ts';
import * as portal from './portal.ts';
import * as predictive from './predictive.ts';
import * as profiles from './profiles.ts';
import * as quality from './quality.ts';
import * as reports from './reports.ts';
import * as retention from './retention.ts';
import * as serviceLevels from './service-levels.ts';
import * as serviceRecord from './service-record.ts';
import * as simulator from './simulator.ts';
import * as stations from './stations.ts';
import * as system from './system.ts';
import * as tickets from './tickets.ts';

/** The HTTP API's vocabulary: schemas of every request and answer, and a contract per route. */

export * from './acceptance.ts';
export * from './accounts.ts';
export * from './alarms.ts';
export * from './assets.ts';
export * from './audit.ts';
export * from './auth.ts';
export * from './commands.ts';
export * from './common.ts';
export * from './contract.ts';
export * from './edges.ts';
export * from './fleet.ts';
export * from './maintenance.ts';
export * from './notify.ts';
export * from './parts.ts';
export * from './portal.ts';
export * from './predictive.ts';
export * from './profiles.ts';
export * from './quality.ts';
export * from './reports.ts';
export * from './retention.ts';
export * from './service-levels.ts';
export * from './service-record.ts';
export * from './simulator.ts';
export * from './sla.ts';
export * from './stations.ts';
export * from './system.ts';
export * from './tickets.ts';

function contractsIn<M extends Record<string, unknown>>(module: M) {
  return Object.fromEntries(Object.entries(module).filter(([, value]) => isContract(value))) as {
    [K in keyof M as M[K] extends ApiContract ? K : never]: M[K];
  };
}

function isContract(value: unknown): value is ApiContract {
  return (
    typeof value === 'object' && value !== null && 'method' in value && 'path' in value && 'access' in value
  );
}

/** Every route's contract by name: `api.call(contracts.listAlarms, { query })`. */
export const contracts = {
  ...contractsIn(accounts),
  ...contractsIn(acceptance),
  ...contractsIn(alarms),
  ...contractsIn(assets),
  ...contractsIn(audit),
  ...contractsIn(auth),
  ...contractsIn(edges),
  ...contractsIn(commands),
  ...contractsIn(fleet),
  ...contractsIn(maintenance),
  ...contractsIn(portal),
  ...contractsIn(notify),
  ...contractsIn(parts),
  ...contractsIn(serviceRecord),
  ...contractsIn(predictive),
  ...contractsIn(profiles),
  ...contractsIn(quality),
  ...contractsIn(serviceLevels),
  ...contractsIn(reports),
  ...contractsIn(retention),
  ...contractsIn(simulator),
  ...contractsIn(stations),
  ...contractsIn(system),
  ...contractsIn(tickets),
};
export type Contracts = typeof contracts;
