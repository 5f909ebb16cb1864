import { z } from 'zod';
import { SEVERITIES } from '../alarms/severity.ts';

/**
 * What the notification service is told: its channels, teams with their weekly on-call rota, the
 * escalation chain of each severity, and limits. One schema for the API, the admin page and the
 * server's YAML/JSON file; secrets are write-only over the API (answered as SECRET_MASK).
 */

export const NOTIFY_LANGUAGES = ['zh-CN', 'en'] as const;
export type NotifyLanguage = (typeof NOTIFY_LANGUAGES)[number];

/** What a secret looks like when the API answers: set, but not shown. Sent back unchanged, it keeps the stored one. */
export const SECRET_MASK = '********';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an id of 1-64 letters, digits, _ or -');
const username = z.string().min(1).max(64);
const httpUrl = z
  .string()
  .max(2000)
  .refine((text) => URL.canParse(text) && /^https?:$/.test(new URL(text).protocol), {
    message: 'an http:// or https:// URL',
  });
export const clockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as 08:30');

export const smtpSettingsSchema = z
  .object({
    host: z.string().min(1).max(255),
    port: z.number().int().min(1).max(65535).default(587),
    /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
    secure: z.boolean().default(false),
    user: z.string().max(255).optional(),
    password: z.string().max(255).optional(),
    /** The sender, e.g. `Aftercare <alerts@example.com>`. */
    from: z.string().min(3).max(255),
  })
  .strict();
export type SmtpSettings = z.output<typeof smtpSettingsSchema>;

/** A WeCom (企业微信) or DingTalk (钉钉) group robot: its webhook URL; DingTalk's signing secret (SEC...). */
export const robotSchema = z
  .object({
    id,
    kind: z.enum(['wecom', 'dingtalk']),
    name: z.string().max(100).default(''),
    url: httpUrl,
    secret: z.string().max(200).optional(),
  })
  .strict();
export type Robot = z.output<typeof robotSchema>;

/** A signed webhook: every message as JSON, `X-Aftercare-Signature: sha256=<hex HMAC of the body>`. */
export const webhookSchema = z
  .object({
    id,
    url: httpUrl,
    // The mask keeps the stored secret when an admin saves the settings back unchanged.
    secret: z.union([z.literal('********'), z.string().min(16, 'at least 16 characters').max(200)]),
  })
  .strict();
export type Webhook = z.output<typeof webhookSchema>;

export const SMS_STYLES = ['aliyun', 'tencent'] as const;

/**
 * An SMS gateway, templates by message kind. `aliyun`: Aliyun's SendSms (RPC, HMAC-SHA1 signed),
 * named template variables. `tencent`: Tencent Cloud's SendSms (API v3, TC3-HMAC-SHA256 signed),
 * positional variables {1}, {2}... filled in the order `templateParams` names for the kind.
 */
export const smsGatewaySchema = z
  .object({
    style: z.enum(SMS_STYLES),
    url: httpUrl,
    /** Aliyun's AccessKeyId, or Tencent's SecretId. */
    accessKeyId: z.string().min(1).max(200),
    /** Aliyun's AccessKeySecret, or Tencent's SecretKey. */
    accessKeySecret: z.string().min(1).max(200),
    signName: z.string().min(1).max(50),
    /** Aliyun's RegionId (default cn-hangzhou), or Tencent's X-TC-Region (default ap-guangzhou). */
    regionId: z.string().min(1).max(50).optional(),
    /** Tencent's SmsSdkAppId (1400...), the SMS application the templates belong to. */
    smsSdkAppId: z
      .string()
      .regex(/^\d{1,20}$/, 'digits, e.g. 1400006666')
      .optional(),
    /** The gateway's template code (Aliyun) or id (Tencent) per message kind, approved in advance. */
    templates: z.record(z.string(), z.string().min(1).max(64)).default({}),
    /** Tencent: per kind, the parameters for {1}, {2}...; default TENCENT_TEMPLATE_PARAMS. */
    templateParams: z.record(z.string(), z.array(z.string().min(1).max(32)).max(10)).default({}),
  })
  .strict()
  .superRefine((gateway, ctx) => {
    if (gateway.style === 'tencent' && !gateway.smsSdkAppId)
      ctx.addIssue({
        code: 'custom',
        path: ['smsSdkAppId'],
        message: 'a Tencent gateway names its SmsSdkAppId',
      });
  });

/** The parameters a Tencent template's {1}, {2}... take per message kind, unless the settings say otherwise. */
export const TENCENT_TEMPLATE_PARAMS: Record<string, readonly string[]> = {
  'alarm.raised': ['station', 'fault', 'severity', 'at'],
  'alarm.escalated': ['station', 'fault', 'minutes'],
  'sla.at_risk': ['ticket', 'station', 'clock', 'deadline'],
  'ticket.opened': ['ticket', 'station'],
  'ticket.dispatched': ['ticket', 'technician', 'eta'],
  'ticket.resolved': ['ticket', 'station', 'survey'],
};
export type SmsGateway = z.output<typeof smsGatewaySchema>;

/** One on-call shift of a weekly rota: ISO weekday (1 Monday .. 7 Sunday), from-to in the team's time zone. */
export const rotaShiftSchema = z
  .object({ day: z.number().int().min(1).max(7), from: clockTimeSchema, to: clockTimeSchema, username })
  .strict();
export type RotaShift = z.output<typeof rotaShiftSchema>;

export const teamSchema = z
  .object({
    id,
    name: z.string().max(100).default(''),
    /** Sites this team looks after; empty: every site. */
    sites: z.array(id).default([]),
    supervisor: username.optional(),
    manager: username.optional(),
    timeZone: z.string().min(1).max(64).default('Asia/Shanghai'),
    /** A shift ending before it starts runs past midnight into the next day. */
    rota: z.array(rotaShiftSchema).default([]),
  })
  .strict();
export type Team = z.output<typeof teamSchema>;

export const CHAIN_TARGETS = ['on_call', 'supervisor', 'manager'] as const;
export type ChainTarget = (typeof CHAIN_TARGETS)[number];
/** `alarm`: `afterMinutes` after the raise while nobody has acknowledged; `sla_at_risk`: when a deadline nears. */
export const CHAIN_TRIGGERS = ['alarm', 'sla_at_risk'] as const;

export const chainStepSchema = z
  .object({
    to: z.enum(CHAIN_TARGETS),
    trigger: z.enum(CHAIN_TRIGGERS).default('alarm'),
    afterMinutes: z.number().int().min(0).max(10_080).default(0),
  })
  .strict();
export type ChainStep = z.output<typeof chainStepSchema>;

const chainSchema = z.object({ steps: z.array(chainStepSchema).max(10).default([]) }).strict();

const DEFAULT_CHAINS = {
  minor: { steps: [{ to: 'on_call', trigger: 'alarm', afterMinutes: 0 }] },
  general: {
    steps: [
      { to: 'on_call', trigger: 'alarm', afterMinutes: 0 },
      { to: 'supervisor', trigger: 'alarm', afterMinutes: 30 },
      { to: 'manager', trigger: 'sla_at_risk', afterMinutes: 0 },
    ],
  },
  major: {
    steps: [
      { to: 'on_call', trigger: 'alarm', afterMinutes: 0 },
      { to: 'supervisor', trigger: 'alarm', afterMinutes: 10 },
      { to: 'manager', trigger: 'sla_at_risk', afterMinutes: 0 },
    ],
  },
} as const;

export const notifySettingsSchema = z
  .object({
    smtp: smtpSettingsSchema.optional(),
    robots: z.array(robotSchema).max(50).default([]),
    webhooks: z.array(webhookSchema).max(50).default([]),
    sms: smsGatewaySchema.optional(),
    teams: z.array(teamSchema).max(100).default([]),
    chains: z
      .object(
        Object.fromEntries(SEVERITIES.map((s) => [s, chainSchema])) as Record<
          (typeof SEVERITIES)[number],
          typeof chainSchema
        >,
      )
      .strict()
      .default(DEFAULT_CHAINS as never),
    limits: z
      .object({
        /** At most this many messages to one recipient per hour; the rest are logged as rate_limited. */
        perRecipientPerHour: z.number().int().min(1).max(1000).default(20),
        /** A webhook delivery is tried this many times before it goes to the dead letters. */
        webhookAttempts: z.number().int().min(1).max(10).default(5),
        /** The first retry waits this long; each next one twice as long. */
        webhookBackoffMs: z.number().int().min(100).max(3_600_000).default(2000),
      })
      .strict()
      .default({ perRecipientPerHour: 20, webhookAttempts: 5, webhookBackoffMs: 2000 }),
    customers: z
      .object({
        /** Tell customers' contacts about their tickets (opened, dispatched, resolved, survey). */
        enabled: z.boolean().default(true),
        language: z.enum(NOTIFY_LANGUAGES).default('zh-CN'),
        /** The survey link; `{ticket}` becomes the ticket number. */
        surveyUrl: z.string().max(500).optional(),
        /** Sales' address: every signed service record's PDF goes there too (复印件交销售部). */
        salesEmail: z.email().max(255).optional(),
      })
      .strict()
      .default({ enabled: true, language: 'zh-CN' }),
  })
  .strict();
export type NotifySettings = z.output<typeof notifySettingsSchema>;
export type NotifySettingsInput = z.input<typeof notifySettingsSchema>;

/** A user's own channels, quiet hours and language. */
export const notifyProfileSchema = z
  .object({
    email: z.email().max(255).nullable().default(null),
    phone: z
      .string()
      .regex(/^\+?[0-9]{6,20}$/, 'digits, optionally with a leading +')
      .nullable()
      .default(null),
    /** The group robot whose group this user reads (a robot's id); the message @-mentions the phone. */
    robot: id.nullable().default(null),
    language: z.enum(NOTIFY_LANGUAGES).default('zh-CN'),
    /** No messages below `major` from `from` to `to` (in timeZone); both or neither. */
    quietHours: z.object({ from: clockTimeSchema, to: clockTimeSchema }).strict().nullable().default(null),
    timeZone: z.string().min(1).max(64).default('Asia/Shanghai'),
  })
  .strict();
export type NotifyProfile = z.output<typeof notifyProfileSchema>;
export type NotifyProfileInput = z.input<typeof notifyProfileSchema>;
