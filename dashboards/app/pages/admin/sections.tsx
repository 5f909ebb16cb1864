import type { ComponentType } from 'preact';
import type { MessageKey } from '../../i18n/translate.ts';
import { AccountsSection } from './accounts-section.tsx';
import { AuditSection } from './audit-section.tsx';
import { CalendarSection } from './calendar-section.tsx';
import { ContractsSection } from './contracts-section.tsx';
import { CustomersSection } from './customers-section.tsx';
import { EdgesSection } from './edges-section.tsx';
import { ImportSection } from './import-section.tsx';
import { NotifySection } from './notify-section.tsx';
import { PartsSection } from './parts-section.tsx';
import { RetentionSection } from './retention-section.tsx';
import { SitesSection } from './sites-section.tsx';
import { StationsSection } from './stations-section.tsx';

export interface AdminSection {
  /** Its part of the link: #/admin/<id>. */
  id: string;
  label: MessageKey;
  view: ComponentType;
}

/** The admin page's sections, in the order of its tabs; the first is shown at #/admin. */
export const ADMIN_SECTIONS: readonly AdminSection[] = [
  { id: 'customers', label: 'fleet.section.customers', view: CustomersSection },
  { id: 'sites', label: 'fleet.section.sites', view: SitesSection },
  { id: 'contracts', label: 'fleet.section.contracts', view: ContractsSection },
  { id: 'stations', label: 'fleet.section.stations', view: StationsSection },
  { id: 'import', label: 'fleet.section.import', view: ImportSection },
  { id: 'parts', label: 'parts.section', view: PartsSection },
  { id: 'edges', label: 'admin.section.edges', view: EdgesSection },
  { id: 'accounts', label: 'admin.section.accounts', view: AccountsSection },
  { id: 'notify', label: 'notify.section', view: NotifySection },
  { id: 'audit', label: 'admin.section.audit', view: AuditSection },
  { id: 'calendar', label: 'slaCal.section', view: CalendarSection },
  { id: 'retention', label: 'retention.section', view: RetentionSection },
];
