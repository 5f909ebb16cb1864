import type { z } from 'zod';
import type { quoteSchema } from '../../core/api/parts.ts';
import type { serviceRecordBodySchema } from '../../core/api/service-record.ts';
import { render, renderOr } from '../../core/i18n/render.ts';
import { formatTime } from '../../core/notify/messages.ts';
import { RECORD_LABELS } from '../../core/service-record/record-labels.ts';
import type { AssetStore } from '../assets/asset-store.ts';
import type { TicketEventRow, TicketRow } from '../db/schema.ts';
import type { PartsStore } from '../parts/parts-store.ts';
import type { StoredCharge } from '../parts/parts-tables.ts';
import type { RecordDocument } from './record-pdf.ts';

export const PROVIDER = 'Aftercare';

/** When the technician arrived: the last step into on_site. */
export function arrivedAt(events: readonly TicketEventRow[]): number | null {
  return events.filter((event) => event.to_state === 'on_site').at(-1)?.at ?? null;
}

/** The printed record's words, from the ticket, master data, the submitted form and the charge. */
export async function recordDocument(
  deps: { assets: AssetStore; parts: PartsStore },
  input: {
    ticket: TicketRow;
    events: readonly TicketEventRow[];
    body: z.output<typeof serviceRecordBodySchema>;
    charge: StoredCharge;
    quote: z.input<typeof quoteSchema> | null;
    finishedAt: number;
    signature: Uint8Array;
  },
): Promise<RecordDocument> {
  const { ticket, body, charge } = input;
  const language = body.language;
  const site = (await deps.assets.sites()).find((row) => row.id === ticket.site);
  const customer = (await deps.assets.customers()).find((row) => row.id === site?.customer_id);
  const station = (await deps.assets.stations(ticket.site)).find((row) => row.id === ticket.station);
  const zone = site?.time_zone || 'Asia/Shanghai';
  const at = (ms: number) => formatTime(ms, zone);
  const names = new Map(
    (await deps.parts.parts(charge.lines.map((line) => line.part))).map((p) => [p.code, p]),
  );
  const label = RECORD_LABELS[language];
  const title = renderOr(language, ticket.title_code, ticket.title_params, ticket.title);
  const description = renderOr(
    language,
    ticket.description_code,
    ticket.description_params,
    ticket.description,
  );
  const quote = input.quote;
  const arrived = arrivedAt(input.events);
  return {
    language,
    provider: PROVIDER,
    customer: customer?.name ?? site?.customer_id ?? '',
    site: site?.name ?? ticket.site,
    station: station?.name ?? ticket.station,
    ticketId: ticket.id,
    equipment: [ticket.equipment_model, ticket.equipment_serial].filter(Boolean).join(' / '),
    warrantyEnd: charge.equipmentWarrantyEnd,
    fault: description && description !== title ? `${title}\n${description}` : title,
    reportedAt: at(ticket.created_at),
    technician: ticket.technician ?? '',
    arrivedAt: arrived === null ? null : at(arrived),
    finishedAt: at(input.finishedAt),
    workDone: body.workDone,
    parts: charge.lines.map((line) => {
      const part = names.get(line.part);
      return { ...line, name: (language === 'en' ? part?.nameEn : part?.nameZh) ?? line.part };
    }),
    totalCents: charge.totalCents,
    readings: body.readings,
    rootCause: render(language, `cause.${body.rootCause}` as Parameters<typeof render>[1]),
    quote:
      quote?.confirmedAt != null
        ? (quote.confirmation === 'portal' ? label.quotePortal : label.quotePaper)
            .replace('{name}', quote.signerName ?? '')
            .replace('{at}', at(quote.confirmedAt))
        : null,
    signature: input.signature,
    signerName: body.signerName,
    signedOn: at(input.finishedAt),
  };
}
