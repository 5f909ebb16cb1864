import type { NotifyProfile } from '../../core/notify/settings.ts';
import type { AssetStore } from '../assets/asset-store.ts';
import type { Recipient } from './dispatcher.ts';
import type { NotifyStore } from './notify-store.ts';

/** A signed-in user as a recipient: the channels, quiet hours and language of their profile. */
export function userRecipient(username: string, profile: NotifyProfile): Recipient {
  return {
    id: `user:${username}`,
    language: profile.language,
    timeZone: profile.timeZone,
    email: profile.email,
    phone: profile.phone,
    robot: profile.robot,
    quietHours: profile.quietHours,
  };
}

export async function recipientOfUser(store: NotifyStore, username: string): Promise<Recipient> {
  return userRecipient(username, await store.profile(username));
}

/** The contacts (from master data) of the customer that owns `site`, each with an e-mail or phone. */
export async function customerContacts(
  assets: AssetStore,
  site: string,
  language: Recipient['language'],
): Promise<Recipient[]> {
  const owner = (await assets.sites()).find((s) => s.id === site);
  if (!owner) return [];
  const customer = (await assets.customers()).find((c) => c.id === owner.customer_id);
  if (!customer || customer.retired_at !== null) return [];
  return customer.contacts
    .filter((contact) => contact.email || contact.phone)
    .map((contact) => ({
      id: `contact:${customer.id}/${contact.name}`,
      language,
      timeZone: owner.time_zone || 'Asia/Shanghai',
      email: contact.email ?? null,
      phone: contact.phone ? contact.phone.replace(/[^0-9+]/g, '') : null,
    }));
}

/** A station as people name it: its name from master data, else `site/station`. */
export async function stationName(assets: AssetStore, site: string, station: string): Promise<string> {
  const found = (await assets.stations(site)).find((s) => s.id === station);
  return found?.name || `${site}/${station}`;
}
