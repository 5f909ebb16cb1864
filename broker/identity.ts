import type { BrokerUser } from './users-file.ts';

export type BrokerRole = BrokerUser['role'];

/** Who a connected client is, once authenticated; the ACL decides from this alone. */
export interface ClientIdentity {
  /** undefined for an anonymous client (only with allowAnonymous). */
  username: string | undefined;
  role: BrokerRole | 'anonymous';
  /** Set for edge agents: the site they publish for. */
  site?: string | undefined;
  /**
   * Set for an edge an admin provisioned (/api/edges): the ACL allows only its own stations' topics.
   * The broker updates `stations` in place when the provisioned-edges file changes.
   */
  edge?: { id: string; stations: ReadonlySet<string>; credentialVersion: number } | undefined;
}
