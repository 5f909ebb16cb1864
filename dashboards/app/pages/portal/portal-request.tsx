import { useState } from 'preact/hooks';
import { contracts } from '../../../../core/api/index.ts';
import { PHOTO_LIMITS } from '../../../../core/api/portal.ts';
import { useApp, useLoad } from '../../context.ts';
import { dataUrl, shrinkPhoto, uploadPhoto } from './photo-upload.ts';
import { portalHref } from './portal-route.ts';

const CONTACT_KEY = 'aftercare.portal.contact';

interface Picked {
  id: number;
  url: string;
}

function savedContact(): { name: string; phone: string } {
  try {
    const held = JSON.parse(localStorage.getItem(CONTACT_KEY) ?? '{}') as { name?: unknown; phone?: unknown };
    return {
      name: typeof held.name === 'string' ? held.name : '',
      phone: typeof held.phone === 'string' ? held.phone : '',
    };
  } catch {
    return { name: '', phone: '' };
  }
}

/** The online service request form (在线申请表格): station or pump, the fault, a contact, photos. */
export function PortalRequest({ station: preset }: { station?: string | undefined }) {
  const { api, t, session } = useApp();
  const home = useLoad(() => api.call(contracts.portalHome), []);
  const stations = home.data?.stations ?? [];
  const [stationKey, setStationKey] = useState<string>('');
  const [pump, setPump] = useState('');
  const [description, setDescription] = useState('');
  const [contact, setContact] = useState(savedContact);
  const [photos, setPhotos] = useState<Picked[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [sent, setSent] = useState<number | undefined>(undefined);

  const chosen =
    stations.find((s) => `${s.site}/${s.id}` === stationKey) ??
    stations.find((s) => s.id === preset) ??
    stations[0];

  const addPhotos = async (files: FileList | null) => {
    setError(undefined);
    for (const file of Array.from(files ?? [])) {
      if (photos.length >= PHOTO_LIMITS.perRequest) {
        setError(t('portal.form.tooMany', { n: PHOTO_LIMITS.perRequest }));
        return;
      }
      const small = await shrinkPhoto(file);
      if (!small) {
        setError(t('portal.form.notImage'));
        continue;
      }
      try {
        const id = await uploadPhoto(session.token, small);
        const picked = { id, url: await dataUrl(small) };
        setPhotos((held) => [...held, picked]);
      } catch (failure) {
        setError(failure instanceof Error ? failure.message : String(failure));
      }
    }
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!chosen || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.call(contracts.fileServiceRequest, {
        body: {
          site: chosen.site,
          station: chosen.id,
          pump: pump === '' ? null : Number(pump),
          description,
          contactName: contact.name,
          contactPhone: contact.phone,
          photos: photos.map((p) => p.id),
        },
      });
      localStorage.setItem(CONTACT_KEY, JSON.stringify(contact));
      setSent(answer.ticket.id);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  if (sent !== undefined)
    return (
      <section class="portal-sent" role="status">
        <p>{t('portal.form.sent', { id: sent })}</p>
        <a class="portal-button" href={portalHref({ page: 'ticket', id: sent })}>
          {t('portal.form.viewTicket', { id: sent })}
        </a>
      </section>
    );

  return (
    <form class="portal-form" onSubmit={submit} aria-labelledby="portal-form-title">
      <h1 id="portal-form-title">{t('portal.form.title')}</h1>
      <p class="muted">{t('portal.form.intro')}</p>
      <label for="pr-station">{t('portal.form.station')}</label>
      <select
        id="pr-station"
        value={chosen ? `${chosen.site}/${chosen.id}` : ''}
        onChange={(e) => {
          setStationKey((e.target as HTMLSelectElement).value);
          setPump('');
        }}
      >
        {stations.map((s) => (
          <option key={`${s.site}/${s.id}`} value={`${s.site}/${s.id}`} translate={false}>
            {s.name} ({s.id})
          </option>
        ))}
      </select>
      <label for="pr-pump">{t('portal.form.pump')}</label>
      <select id="pr-pump" value={pump} onChange={(e) => setPump((e.target as HTMLSelectElement).value)}>
        <option value="">{t('portal.form.wholeStation')}</option>
        {(chosen?.pumps ?? []).map((n) => (
          <option key={n} value={String(n)}>
            {t('portal.form.pumpN', { n })}
          </option>
        ))}
      </select>
      <label for="pr-description">{t('portal.form.description')}</label>
      <textarea
        id="pr-description"
        required
        maxLength={2000}
        rows={4}
        placeholder={t('portal.form.descriptionHint')}
        value={description}
        onInput={(e) => setDescription((e.target as HTMLTextAreaElement).value)}
      />
      <label for="pr-name">{t('portal.form.contactName')}</label>
      <input
        id="pr-name"
        required
        maxLength={100}
        autocomplete="name"
        value={contact.name}
        onInput={(e) => setContact({ ...contact, name: (e.target as HTMLInputElement).value })}
      />
      <label for="pr-phone">{t('portal.form.contactPhone')}</label>
      <input
        id="pr-phone"
        type="tel"
        required
        inputMode="tel"
        autocomplete="tel"
        pattern="\+?[0-9][0-9 ()\-]{4,30}"
        value={contact.phone}
        onInput={(e) => setContact({ ...contact, phone: (e.target as HTMLInputElement).value })}
      />
      <span class="portal-label">{t('portal.form.photos', { n: PHOTO_LIMITS.perRequest })}</span>
      <ul class="portal-photos">
        {photos.map((photo, i) => (
          <li key={photo.id} data-photo={photo.id}>
            <img src={photo.url} alt="" />
            <button
              type="button"
              class="ghost"
              aria-label={t('portal.form.removePhoto', { n: i + 1 })}
              onClick={() => setPhotos(photos.filter((p) => p.id !== photo.id))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      {photos.length < PHOTO_LIMITS.perRequest ? (
        <label class="portal-photo-pick">
          {t('portal.form.addPhoto')}
          <input
            type="file"
            accept="image/*"
            capture="environment"
            multiple
            onChange={(e) => {
              const input = e.target as HTMLInputElement;
              void addPhotos(input.files).finally(() => {
                input.value = '';
              });
            }}
          />
        </label>
      ) : null}
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" class="portal-button" disabled={busy || !chosen}>
        {busy ? t('portal.form.sending') : t('portal.form.submit')}
      </button>
    </form>
  );
}
