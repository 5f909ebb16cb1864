import type { Router } from 'express';
import { listContracts, putContract } from '../../core/api/assets.ts';
import { createContract, retireContract } from '../../core/api/fleet.ts';
import {
  contractRefusals,
  createRefusal,
  retireRefusal,
  updateRefusal,
} from '../../core/fleet/fleet-rules.ts';
import { siteScope } from '../auth/site-scope.ts';
import { contractRoute } from '../http/contract-route.ts';
import type { RouteContext } from '../http/route-context.ts';
import { audited, refuseFirst, smallJson } from './fleet-refusal.ts';
import { contractRowView } from './fleet-store.ts';

/** GET/POST /api/contracts, PUT/DELETE /api/contracts/:id. */
export function contractRoutes(router: Router, context: RouteContext): void {
  const { assets, fleet } = context;

  contractRoute(router, listContracts, async ({ query }, req) => {
    let contracts = (await assets.contracts()).filter((row) => query.retired === 'true' || !row.retired_at);
    const scope = siteScope(req);
    if (!scope.all) {
      // A user bound to sites sees the contracts of the customers those sites belong to.
      const owners = new Set(
        (await fleet.sites(true)).filter((s) => scope.sites.includes(s.id)).map((s) => s.customerId),
      );
      contracts = contracts.filter((row) => owners.has(row.customer_id));
    }
    return { contracts: contracts.map(contractRowView) };
  });

  contractRoute(
    router,
    createContract,
    async ({ body }, req) => {
      const snapshot = await fleet.snapshot();
      refuseFirst([createRefusal(snapshot, 'contract', body.id), ...contractRefusals(snapshot, body)]);
      await fleet.saveContract(body);
      await audited(context, req, 'contract.create', `contract/${body.id}`, body);
      const row = (await assets.contract(body.id))!;
      return {
        contract: {
          id: row.id,
          customerId: row.customer_id,
          name: row.name,
          slaPolicyId: row.sla_policy_id,
          startsOn: row.starts_on,
          endsOn: row.ends_on,
          warranty: contractRowView(row).warranty,
          warrantyTerms: row.warranty_terms,
          retiredAt: row.retired_at,
        },
      };
    },
    { beforeParse: smallJson },
  );

  // Create or replace, as before; a retired contract stays retired (409).
  contractRoute(
    router,
    putContract,
    async ({ params: { id }, body }, req) => {
      const snapshot = await fleet.snapshot();
      const exists = snapshot.contract.has(id);
      refuseFirst([
        exists ? updateRefusal(snapshot, 'contract', id) : undefined,
        ...contractRefusals(snapshot, body),
      ]);
      await fleet.saveContract({ ...body, id });
      await audited(context, req, 'contract.put', `contract/${id}`, body);
      const row = await assets.contract(id);
      return { contract: row && contractRowView(row) };
    },
    { beforeParse: smallJson },
  );

  contractRoute(router, retireContract, async ({ params: { id } }, req) => {
    refuseFirst([retireRefusal(await fleet.snapshot(), 'contract', id)]);
    await fleet.retire('contract', id);
    await audited(context, req, 'contract.retire', `contract/${id}`);
    return undefined;
  });
}
