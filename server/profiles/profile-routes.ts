import { Router } from 'express';
import { getProfileReadings, listProfiles } from '../../core/api/profiles.ts';
import { contractRoute } from '../http/contract-route.ts';
import { HttpError } from '../http/errors.ts';
import type { ProfileRegistry } from './profile-registry.ts';

/** Mounted at /api: the profiles in use, as the dashboards show readings they do not know. */
export function profileRoutes(registry: ProfileRegistry): Router {
  const router = Router();
  contractRoute(router, listProfiles, () => ({ models: registry.models() }));
  contractRoute(router, getProfileReadings, ({ params: { model } }) => {
    const profile = registry.profile(model);
    const readings = registry.readings(model);
    if (!profile || !readings) {
      throw new HttpError(404, `no device profile "${model}"`, undefined, 'error.noProfile', { model });
    }
    return {
      model: profile.model,
      vendor: profile.vendor,
      description: profile.description,
      nominalVoltage: profile.nominalVoltage,
      phases: profile.phases,
      pumps: profile.pumps,
      readings: [...readings.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([meaning, info]) => ({
          meaning,
          unit: info.unit,
          ...(info.description ? { description: info.description } : {}),
          ...(info.label ? { label: info.label } : {}),
          ...(info.enum ? { enum: Object.fromEntries(info.enum) } : {}),
          ...(info.alarmCodes ? { alarmCodes: Object.fromEntries(info.alarmCodes) } : {}),
        })),
    };
  });
  return router;
}
