import { Router } from 'express';
import { listCommands, sendCommand } from '../../core/api/commands.ts';
import { actor } from '../auth/roles.ts';
import { inScope, siteScope } from '../auth/site-scope.ts';
import { RefusedError } from '../db/errors.ts';
import { contractRoute } from '../http/contract-route.ts';
import type { CommandService } from './command-service.ts';

/** POST and GET /api/stations/:site/:station/commands. A station outside the user's sites is a 404. */
export function commandRoutes(commands: CommandService): Router {
  const router = Router();
  const checkScope = (req: Parameters<typeof siteScope>[0], site: string, station: string) => {
    if (!inScope(siteScope(req), site))
      throw new RefusedError(`no station ${site}/${station}`, 404, 'error.noStation', { id: station });
  };
  contractRoute(router, sendCommand, async ({ params, body }, req) => {
    checkScope(req, params.site, params.station);
    return commands.issue(actor(req), params.site, params.station, body);
  });
  contractRoute(router, listCommands, async ({ params, query }, req) => {
    checkScope(req, params.site, params.station);
    if (!(await commands.knows(params.site, params.station)))
      throw new RefusedError(`no station ${params.site}/${params.station}`, 404, 'error.noStation', {
        id: params.station,
      });
    return { commands: await commands.recent(params.site, params.station, query.limit) };
  });
  return router;
}
