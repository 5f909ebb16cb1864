import { z } from 'zod';
import { idSchema, pumpNumber } from './common.ts';
import { defineContract } from './contract.ts';

/**
 * The simulator's control API as the server forwards it (engineers and admins only). The answers
 * are the simulator's own, passed through with its status.
 */

export const faultNameSchema = z.string().regex(/^[a-z_]{1,64}$/, 'a fault name such as pump_trip');
export const faultBodySchema = z
  .object({
    fault: faultNameSchema,
    pump: pumpNumber.optional(),
    params: z.record(z.string(), z.union([z.number(), z.string().max(200)])).optional(),
  })
  .strict();
export const speedBodySchema = z.object({ speed: z.number().min(0).max(1_000_000) }).strict();

/** The simulator's answer, forwarded as it is. */
const forwarded = z.unknown().describe("The simulator control API's answer, forwarded with its status");
const ENGINEERS = ['engineer', 'admin'] as const;
const stationParams = z.object({ id: idSchema });

export const simStations = defineContract({
  method: 'GET',
  path: '/api/sim/stations',
  summary: "The simulator's stations and their active faults",
  access: ENGINEERS,
  status: 200,
  response: forwarded,
});
export const simFaults = defineContract({
  method: 'GET',
  path: '/api/sim/faults',
  summary: 'Faults the simulator can inject',
  access: ENGINEERS,
  status: 200,
  response: forwarded,
});
export const injectFault = defineContract({
  method: 'POST',
  path: '/api/sim/stations/:id/faults',
  summary: 'Inject a fault into a simulated station',
  access: ENGINEERS,
  params: stationParams,
  body: faultBodySchema,
  status: 200,
  response: forwarded,
});
export const clearFault = defineContract({
  method: 'DELETE',
  path: '/api/sim/stations/:id/faults/:fault',
  summary: 'Clear a fault of a simulated station (of one pump with ?pump=)',
  access: ENGINEERS,
  params: stationParams.extend({ fault: faultNameSchema }),
  query: z.object({ pump: z.coerce.number().pipe(pumpNumber).optional() }),
  status: 200,
  response: forwarded,
});
export const simSpeed = defineContract({
  method: 'PUT',
  path: '/api/sim/speed',
  summary: "Set the simulator's time speed",
  access: ENGINEERS,
  body: speedBodySchema,
  status: 200,
  response: forwarded,
});
