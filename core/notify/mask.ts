import { type NotifySettings, SECRET_MASK } from './settings.ts';

const mask = (secret: string | undefined) => (secret ? SECRET_MASK : secret);

/** Settings as the API answers them: every secret that is set shows as SECRET_MASK. Pure. */
export function maskSecrets(settings: NotifySettings): NotifySettings {
  return {
    ...settings,
    ...(settings.smtp ? { smtp: { ...settings.smtp, password: mask(settings.smtp.password) } } : {}),
    ...(settings.sms ? { sms: { ...settings.sms, accessKeySecret: SECRET_MASK } } : {}),
    robots: settings.robots.map((r) => ({ ...r, secret: mask(r.secret) })),
    webhooks: settings.webhooks.map((w) => ({ ...w, secret: SECRET_MASK })),
  };
}

/**
 * Settings an admin saved: a secret sent back as SECRET_MASK keeps the stored one (of the same id);
 * returns the names of masks with nothing to keep, which the caller refuses. Pure.
 */
export function keepSecrets(
  next: NotifySettings,
  stored: NotifySettings,
): { settings: NotifySettings; unknown: string[] } {
  const unknown: string[] = [];
  const keep = (value: string | undefined, old: string | undefined, name: string) => {
    if (value !== SECRET_MASK) return value;
    if (old === undefined) unknown.push(name);
    return old;
  };
  const settings: NotifySettings = {
    ...next,
    robots: next.robots.map((r) => {
      const secret = keep(
        r.secret,
        stored.robots.find((o) => o.id === r.id)?.secret,
        `robots.${r.id}.secret`,
      );
      return { ...r, ...(secret === undefined ? { secret: undefined } : { secret }) };
    }),
    webhooks: next.webhooks.map((w) => ({
      ...w,
      secret:
        keep(w.secret, stored.webhooks.find((o) => o.id === w.id)?.secret, `webhooks.${w.id}.secret`) ?? '',
    })),
  };
  if (next.smtp)
    settings.smtp = {
      ...next.smtp,
      password: keep(next.smtp.password, stored.smtp?.password, 'smtp.password'),
    };
  if (next.sms)
    settings.sms = {
      ...next.sms,
      accessKeySecret:
        keep(next.sms.accessKeySecret, stored.sms?.accessKeySecret, 'sms.accessKeySecret') ?? '',
    };
  return { settings, unknown };
}
