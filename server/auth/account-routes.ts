import { type Request, Router } from 'express';
import {
  type AccountView,
  changeAccount,
  createAccount,
  disableAccount,
  enableAccount,
  listAccounts,
  resetAccountPassword,
} from '../../core/api/accounts.ts';
import { passwordProblem } from '../../core/auth/password-rules.ts';
import type { Role } from '../../core/auth/roles.ts';
import { render } from '../../core/i18n/render.ts';
import { hashSecret } from '../../core/secrets.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { RefusedError } from '../db/errors.ts';
import { contractRoute } from '../http/contract-route.ts';
import { DEFAULT_JSON_LIMIT, jsonBody } from '../http/json-bodies.ts';
import type { AccountPatch, AccountRecord, AccountStore } from './account-store.ts';
import { actor } from './roles.ts';
import type { SessionGate } from './session-gate.ts';

export interface AccountRouteDeps {
  store: AccountStore;
  gate: SessionGate;
  audit: AuditLog;
  /** Whether a customer id exists (the customers table). */
  customerExists: (id: string) => Promise<boolean>;
  clock: () => number;
}

export function accountView(account: AccountRecord): AccountView {
  return {
    username: account.username,
    role: account.role,
    sites: account.sites,
    customer: account.customerId,
    displayName: account.displayName,
    disabled: account.disabledAt !== null,
    disabledAt: account.disabledAt,
    failedAttempts: account.failedAttempts,
    lockedUntil: account.lockedUntil,
    lastSignInAt: account.lastSignInAt,
    source: account.source,
    createdAt: account.createdAt,
    changedAt: account.changedAt,
  };
}

/** The password rule of core/auth/password-rules.ts as a 400 with its code. */
export function checkPassword(password: string, username: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new RefusedError(`password refused: ${render('en', problem, {})}`, 400, problem);
}

/** Admin routes of accounts (mount at /api). Every change and every refusal is in the audit log. */
export function accountRoutes(deps: AccountRouteDeps): Router {
  const router = Router();
  // Its own paths only: mounted first at /api, a parser here would cap every route's body.
  router.use('/accounts', jsonBody(DEFAULT_JSON_LIMIT));
  const { store, gate, audit, clock } = deps;

  /** Records the action (refusals too) and rethrows a refusal for the error handler. */
  const audited = async <T>(
    req: Request,
    action: string,
    username: string,
    detail: Record<string, unknown>,
    run: () => Promise<T>,
  ): Promise<T> => {
    const target = `account/${username}`;
    try {
      const result = await run();
      await audit.record(actor(req), { action, target, result: 'ok', detail });
      return result;
    } catch (error) {
      const code = error instanceof RefusedError ? error.code : undefined;
      await audit.record(actor(req), {
        action,
        target,
        result: error instanceof RefusedError ? 'refused' : 'failed',
        detail: { ...detail, ...(code ? { code } : {}) },
      });
      throw error;
    }
  };

  const existing = async (username: string): Promise<AccountRecord> => {
    const account = await store.get(username);
    if (!account) throw new RefusedError(`no account ${username}`, 404, 'error.noAccount', { username });
    return account;
  };

  /** Role, sites and customer must fit together: a customer names a known customer and no sites. */
  const checkShape = async (role: Role, customer: string | null, sites: string[] | null) => {
    if (role === 'customer' && !customer)
      throw new RefusedError('a customer account names its customer', 400, 'error.customerNeedsCustomer');
    if (role !== 'customer' && customer)
      throw new RefusedError(
        'only a customer account names a customer',
        400,
        'error.onlyCustomerHasCustomer',
      );
    if (role === 'customer' && sites)
      throw new RefusedError("a customer's sites come from its customer", 400, 'error.customerNeedsCustomer');
    if (customer && !(await deps.customerExists(customer)))
      throw new RefusedError(`no customer ${customer}`, 400, 'error.noCustomer', { id: customer });
  };

  const change = async (username: string, patch: AccountPatch) => {
    const account = await store.update(username, patch, clock());
    if (!account) throw new RefusedError(`no account ${username}`, 404, 'error.noAccount', { username });
    // Drop what is cached of its sessions; a revoking change also ends its sockets.
    gate.forget(username, patch.revoke === true);
    return { account: accountView(account) };
  };

  const notSelf = (req: Request, username: string) => {
    if (actor(req).username === username)
      throw new RefusedError(
        `${username} may not disable or demote their own account`,
        409,
        'error.notYourself',
      );
  };

  contractRoute(router, listAccounts, async () => ({ accounts: (await store.list()).map(accountView) }));

  contractRoute(router, createAccount, async ({ body }, req) => {
    const { password, ...shown } = body;
    return await audited(req, 'account.create', body.username, shown, async () => {
      checkPassword(password, body.username);
      await checkShape(body.role, body.customer ?? null, body.sites ?? null);
      const created = await store.create(
        {
          username: body.username,
          passwordHash: await hashSecret(password),
          role: body.role,
          sites: body.sites ?? null,
          customerId: body.customer ?? null,
          displayName: body.displayName ?? '',
          source: 'admin',
        },
        clock(),
      );
      if (!created)
        throw new RefusedError(`account ${body.username} exists already`, 409, 'error.accountExists', {
          username: body.username,
        });
      return { account: accountView(await existing(body.username)) };
    });
  });

  contractRoute(router, changeAccount, async ({ params: { username }, body }, req) => {
    return await audited(req, 'account.change', username, body, async () => {
      const held = await existing(username);
      if (body.role !== undefined && body.role !== 'admin') notSelf(req, username);
      const role = body.role ?? held.role;
      // Leaving the customer role drops the customer; taking it drops the sites.
      const customer =
        body.customer !== undefined ? body.customer : role === 'customer' ? held.customerId : null;
      const sites = body.sites !== undefined ? body.sites : role === 'customer' ? null : held.sites;
      await checkShape(role, customer, sites);
      return await change(username, {
        role,
        customerId: customer,
        sites,
        ...(body.displayName !== undefined ? { displayName: body.displayName } : {}),
      });
    });
  });

  contractRoute(router, disableAccount, async ({ params: { username } }, req) => {
    return await audited(req, 'account.disable', username, {}, async () => {
      notSelf(req, username);
      await existing(username);
      return await change(username, { disabledAt: clock(), revoke: true });
    });
  });

  contractRoute(router, enableAccount, async ({ params: { username } }, req) => {
    return await audited(req, 'account.enable', username, {}, async () => {
      await existing(username);
      return await change(username, { disabledAt: null, unlock: true });
    });
  });

  contractRoute(router, resetAccountPassword, async ({ params: { username }, body }, req) => {
    return await audited(req, 'account.password', username, {}, async () => {
      await existing(username);
      checkPassword(body.password, username);
      return await change(username, { passwordHash: await hashSecret(body.password), revoke: true });
    });
  });

  return router;
}
