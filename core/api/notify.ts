import { z } from 'zod';
import { MESSAGE_KINDS } from '../notify/messages.ts';
import { notifyProfileSchema, notifySettingsSchema } from '../notify/settings.ts';
import { queryTimeSchema, rowIdParams } from './common.ts';
import { defineContract } from './contract.ts';

/** Notifications: channels, rota and chains (admin), each user's own channels, the message log. */

/** `held`: due in the recipient's quiet hours, sent when they end; `cancelled`: its fault was acknowledged or cleared first. */
export const LOG_STATUSES = [
  'pending',
  'sent',
  'failed',
  'rate_limited',
  'quiet',
  'no_address',
  'held',
  'cancelled',
] as const;

export const notifyLogEntrySchema = z.object({
  id: z.number(),
  at: z.number(),
  /** One message per fault and step: `ticket:12:step:1`. */
  dedupeKey: z.string(),
  kind: z.enum(MESSAGE_KINDS),
  /** `user:<username>` or `contact:<customer>/<name>`. */
  recipient: z.string(),
  channel: z.enum(['email', 'sms', 'robot', 'none']),
  address: z.string(),
  language: z.string(),
  subject: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  site: z.string().nullable(),
  station: z.string().nullable(),
  status: z.enum(LOG_STATUSES),
  /** Why a message failed (the far side's answer), or why a held one was cancelled. */
  detail: z.string(),
  /** A message held through the recipient's quiet hours: when it goes out. */
  holdUntil: z.number().nullable(),
});
export type NotifyLogEntry = z.infer<typeof notifyLogEntrySchema>;

export const listNotifyLog = defineContract({
  method: 'GET',
  path: '/api/notifications/log',
  summary: 'Every message sent (or held back) with its delivery result, newest first',
  access: ['admin'],
  query: z
    .object({
      recipient: z.string().max(200).optional(),
      status: z.enum(LOG_STATUSES).optional(),
      since: queryTimeSchema.optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(200),
    })
    .strict(),
  status: 200,
  response: z.object({ entries: z.array(notifyLogEntrySchema) }),
});

export const getNotifySettings = defineContract({
  method: 'GET',
  path: '/api/notifications/settings',
  summary: 'Channels, teams with their on-call rota, chains per severity (secrets masked)',
  access: ['admin'],
  status: 200,
  response: z.object({ settings: notifySettingsSchema }),
});

export const putNotifySettings = defineContract({
  method: 'PUT',
  path: '/api/notifications/settings',
  summary: 'Replace the notification settings; a masked secret keeps the stored one',
  access: ['admin'],
  body: notifySettingsSchema,
  status: 200,
  response: z.object({ settings: notifySettingsSchema }),
});

export const getMyNotifyProfile = defineContract({
  method: 'GET',
  path: '/api/notifications/profile',
  summary: "The signed-in user's own channels, quiet hours and language",
  access: 'signed-in',
  status: 200,
  response: z.object({ username: z.string(), profile: notifyProfileSchema }),
});

export const putMyNotifyProfile = defineContract({
  method: 'PUT',
  path: '/api/notifications/profile',
  summary: "Change the signed-in user's own channels, quiet hours and language",
  access: 'signed-in',
  body: notifyProfileSchema,
  status: 200,
  response: z.object({ username: z.string(), profile: notifyProfileSchema }),
});

export const listNotifyProfiles = defineContract({
  method: 'GET',
  path: '/api/notifications/profiles',
  summary: "Every user's notification channels",
  access: ['admin'],
  status: 200,
  response: z.object({ profiles: z.array(z.object({ username: z.string(), profile: notifyProfileSchema })) }),
});

export const putNotifyProfile = defineContract({
  method: 'PUT',
  path: '/api/notifications/profiles/:username',
  summary: "Set a user's notification channels",
  access: ['admin'],
  params: z.object({
    username: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, '1-64 letters, digits, _ . or -'),
  }),
  body: notifyProfileSchema,
  status: 200,
  response: z.object({ username: z.string(), profile: notifyProfileSchema }),
});

export const onCallNow = defineContract({
  method: 'GET',
  path: '/api/notifications/on-call',
  summary: "Who is on call in each team now, with the team's supervisor and manager",
  access: 'signed-in',
  status: 200,
  response: z.object({
    teams: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        onCall: z.string().nullable(),
        supervisor: z.string().nullable(),
        manager: z.string().nullable(),
      }),
    ),
  }),
});

export const deadLetterSchema = z.object({
  id: z.number(),
  webhookId: z.string(),
  dedupeKey: z.string(),
  body: z.string(),
  createdAt: z.number(),
  attempts: z.number(),
  lastError: z.string(),
});

export const listDeadLetters = defineContract({
  method: 'GET',
  path: '/api/notifications/dead-letters',
  summary: 'Webhook deliveries that failed every attempt',
  access: ['admin'],
  status: 200,
  response: z.object({ deadLetters: z.array(deadLetterSchema) }),
});

export const replayDeadLetter = defineContract({
  method: 'POST',
  path: '/api/notifications/dead-letters/:id/replay',
  summary: 'Try a dead-lettered webhook delivery again (at once, then with back-off)',
  access: ['admin'],
  params: rowIdParams,
  status: 204,
});
