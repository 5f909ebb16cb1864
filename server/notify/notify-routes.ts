import { Router } from 'express';
import {
  getMyNotifyProfile,
  getNotifySettings,
  listDeadLetters,
  listNotifyLog,
  listNotifyProfiles,
  onCallNow,
  putMyNotifyProfile,
  putNotifyProfile,
  putNotifySettings,
  replayDeadLetter,
} from '../../core/api/notify.ts';
import { keepSecrets, maskSecrets } from '../../core/notify/mask.ts';
import { onCallAt } from '../../core/notify/rota.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { actor } from '../auth/roles.ts';
import { RefusedError } from '../db/errors.ts';
import { contractRoute } from '../http/contract-route.ts';
import { HttpError } from '../http/errors.ts';
import type { NotifyService } from './notify-service.ts';
import type { NotifyStore } from './notify-store.ts';
import type { NotifyLogRow } from './notify-tables.ts';

export interface NotifyRouteDeps {
  store: NotifyStore;
  service: NotifyService;
  audit: AuditLog;
  clock: () => number;
}

function logEntry(row: NotifyLogRow) {
  return {
    id: row.id,
    at: row.at,
    dedupeKey: row.dedupe_key,
    kind: row.kind as never,
    recipient: row.recipient,
    channel: row.channel as never,
    address: row.address,
    language: row.language,
    subject: row.subject,
    params: row.params,
    site: row.site,
    station: row.station,
    status: row.status as never,
    detail: row.detail,
    holdUntil: row.hold_until,
  };
}

export function notifyRoutes({ store, service, audit, clock }: NotifyRouteDeps): Router {
  const router = Router();

  contractRoute(router, listNotifyLog, async ({ query }) => ({
    entries: (await store.log(query)).map(logEntry),
  }));

  contractRoute(router, getNotifySettings, async () => ({ settings: maskSecrets(await store.settings()) }));

  contractRoute(router, putNotifySettings, async ({ body }, req) => {
    const { settings, unknown } = keepSecrets(body, await store.settings());
    if (unknown.length > 0) {
      const detail = `${unknown.join(', ')}: no stored secret to keep; enter the secret`;
      throw new HttpError(400, `invalid settings: ${detail}`, undefined, 'error.invalidRequest', { detail });
    }
    await store.saveSettings(settings, clock());
    const saved = await service.reload();
    await audit.record(actor(req), {
      action: 'notify.settings',
      target: 'notifications',
      result: 'ok',
      detail: {
        teams: saved.teams.length,
        robots: saved.robots.length,
        webhooks: saved.webhooks.length,
        smtp: saved.smtp !== undefined,
        sms: saved.sms !== undefined,
      },
    });
    return { settings: maskSecrets(saved) };
  });

  contractRoute(router, getMyNotifyProfile, async (_input, req) => {
    const { username } = actor(req);
    return { username, profile: await store.profile(username) };
  });

  contractRoute(router, putMyNotifyProfile, async ({ body }, req) => {
    const { username } = actor(req);
    await store.saveProfile(username, body, clock());
    return { username, profile: body };
  });

  contractRoute(router, listNotifyProfiles, async () => ({ profiles: await store.profiles() }));

  contractRoute(router, putNotifyProfile, async ({ params: { username }, body }, req) => {
    await store.saveProfile(username, body, clock());
    await audit.record(actor(req), { action: 'notify.profile', target: `account/${username}`, result: 'ok' });
    return { username, profile: body };
  });

  contractRoute(router, onCallNow, async () => {
    const now = clock();
    return {
      teams: (await store.settings()).teams.map((team) => ({
        id: team.id,
        name: team.name,
        onCall: onCallAt(team, now) ?? null,
        supervisor: team.supervisor ?? null,
        manager: team.manager ?? null,
      })),
    };
  });

  contractRoute(router, listDeadLetters, async () => ({
    deadLetters: (await store.deadLetters()).map((row) => ({
      id: row.id,
      webhookId: row.webhook_id,
      dedupeKey: row.dedupe_key,
      body: row.body,
      createdAt: row.created_at,
      attempts: row.attempts,
      lastError: row.last_error,
    })),
  }));

  contractRoute(router, replayDeadLetter, async ({ params: { id } }, req) => {
    if (!(await store.replay(id, clock()))) throw new RefusedError(`no dead letter ${id}`, 404);
    await audit.record(actor(req), { action: 'notify.replay', target: `dead-letter/${id}`, result: 'ok' });
    await service.tick(clock());
    return undefined;
  });

  return router;
}
