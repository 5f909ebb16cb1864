import type { ComponentType } from 'preact';
import type { AdminMessageKey } from '../../i18n/admin-text.ts';
import { AccountsSection } from './accounts-section.tsx';
import { AuditSection } from './audit-section.tsx';
import { EdgesSection } from './edges-section.tsx';

export interface AdminSection {
  /** Its part of the link: #/admin/<id>. */
  id: string;
  label: AdminMessageKey;
  view: ComponentType;
}

/** The admin page's sections, in the order of its tabs; the first is shown at #/admin. */
export const ADMIN_SECTIONS: readonly AdminSection[] = [
  { id: 'audit', label: 'admin.section.audit', view: AuditSection },
  { id: 'edges', label: 'admin.section.edges', view: EdgesSection },
  { id: 'accounts', label: 'admin.section.accounts', view: AccountsSection },
];
