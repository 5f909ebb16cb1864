import type { Access } from '../../core/api/contract.ts';
import { ROLES, type Role, STAFF_ROLES } from '../../core/auth/roles.ts';
import type { AccountStore } from '../auth/account-store.ts';
import type { FlowOwner, FlowStore } from './flow-store.ts';

/** The roles that may open the editor and deploy flows (DESIGN.md "flows"). */
export const FLOW_ROLES: readonly Role[] = ['engineer', 'admin'];

/** The flows' owner as the nodes act for them now: the account's current role and sites. */
export interface ActingOwner {
  username: string;
  role: Role;
  /** Sites the owner may see; undefined: every site. */
  sites?: readonly string[];
}

export class FlowRefusal extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'FlowRefusal';
  }
}

/** Whether a contract's access admits a role (the same rule as the HTTP routes). */
export function accessAllows(access: Access, role: Role): boolean {
  if (access === 'open') return true;
  if (access === 'signed-in') return (STAFF_ROLES as readonly Role[]).includes(role);
  return access.includes(role);
}

/**
 * Who the running flows act for: whoever deployed them last. Read from the account at each use, so a
 * disabled account or a changed role takes effect at once; a deployer without an account (a token
 * minted with AUTH_SECRET) acts with the role it deployed with.
 */
export class FlowOwnerResolver {
  private owner: FlowOwner | undefined;
  private loaded = false;

  constructor(
    private readonly store: FlowStore,
    private readonly accounts: AccountStore,
  ) {}

  /** After a deploy: the new owner. */
  deployed(owner: FlowOwner | undefined): void {
    this.owner = owner;
    this.loaded = true;
  }

  async current(): Promise<ActingOwner> {
    if (!this.loaded) {
      this.owner = await this.store.owner();
      this.loaded = true;
    }
    const owner = this.owner;
    if (!owner)
      throw new FlowRefusal('the flows have no owner: deploy them from the editor', 'flows.noOwner');
    const account = await this.accounts.get(owner.username);
    if (account) {
      if (account.disabledAt !== null)
        throw new FlowRefusal(`the flows' owner ${owner.username} is disabled`, 'flows.ownerDisabled');
      return {
        username: account.username,
        role: account.role,
        ...(account.sites ? { sites: account.sites } : {}),
      };
    }
    if (!ROLES.includes(owner.role as Role))
      throw new FlowRefusal(`the flows' owner has an unknown role ${owner.role}`, 'flows.ownerRole');
    return { username: owner.username, role: owner.role as Role };
  }

  /** The owner, if its role may do what `access` admits at `site`; a FlowRefusal otherwise. */
  async mayDo(access: Access, what: string, site?: string): Promise<ActingOwner> {
    const owner = await this.current();
    if (!accessAllows(access, owner.role))
      throw new FlowRefusal(
        `the flows' owner ${owner.username} (role ${owner.role}) may not ${what}`,
        'flows.roleForbidden',
      );
    if (site !== undefined && owner.sites && !owner.sites.includes(site))
      throw new FlowRefusal(
        `the flows' owner ${owner.username} may not see site ${site}`,
        'flows.siteForbidden',
      );
    return owner;
  }
}
