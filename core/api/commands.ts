import { z } from 'zod';
import { commandRequestSchema, commandViewSchema } from '../commands/payloads.ts';
import { idSchema } from '../ids.ts';
import { defineContract } from './contract.ts';

/** Remote commands to a station's controller (README "Remote commands"). */

const stationParams = z.object({ site: idSchema, station: idSchema }).strict();

export const sendCommand = defineContract({
  method: 'POST',
  path: '/api/stations/:site/:station/commands',
  summary:
    'Sends a command to the station (reset_trip, switch_duty, set_pressure, start_pump, stop_pump) and answers once the edge confirmed it by reading back; 409 with a command.refused.* code when refused or expired',
  access: ['operator', 'engineer', 'admin'],
  params: stationParams,
  body: commandRequestSchema,
  status: 200,
  response: commandViewSchema,
});

export const listCommands = defineContract({
  method: 'GET',
  path: '/api/stations/:site/:station/commands',
  summary: "A station's recent commands, newest first, with who sent them and their results",
  access: 'signed-in',
  params: stationParams,
  query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }).strict(),
  status: 200,
  response: z.object({ commands: z.array(commandViewSchema) }),
});
