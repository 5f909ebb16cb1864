import type { Router } from 'express';
import { createCustomer, listFleetCustomers, retireCustomer, updateCustomer } from '../../core/api/fleet.ts';
import { createRefusal, retireRefusal, updateRefusal } from '../../core/fleet/fleet-rules.ts';
import { siteScope } from '../auth/site-scope.ts';
import { contractRoute } from '../http/contract-route.ts';
import type { RouteContext } from '../http/route-context.ts';
import { audited, refuseFirst, smallJson } from './fleet-refusal.ts';

/** GET/POST /api/customers, PUT/DELETE /api/customers/:id. */
export function customerRoutes(router: Router, context: RouteContext): void {
  const { fleet } = context;
  const one = async (id: string) => (await fleet.customers(true)).find((row) => row.id === id)!;

  contractRoute(router, listFleetCustomers, async ({ query }, req) => {
    const customers = await fleet.customers(query.retired === 'true');
    const scope = siteScope(req);
    if (scope.all) return { customers };
    // A user bound to sites sees the customers those sites belong to.
    const owners = new Set(
      (await fleet.sites(true)).filter((s) => scope.sites.includes(s.id)).map((s) => s.customerId),
    );
    return { customers: customers.filter((customer) => owners.has(customer.id)) };
  });

  contractRoute(
    router,
    createCustomer,
    async ({ body }, req) => {
      refuseFirst([createRefusal(await fleet.snapshot(), 'customer', body.id)]);
      await fleet.saveCustomer(body);
      await audited(context, req, 'customer.create', `customer/${body.id}`, body);
      return { customer: await one(body.id) };
    },
    { beforeParse: smallJson },
  );

  contractRoute(
    router,
    updateCustomer,
    async ({ params: { id }, body }, req) => {
      refuseFirst([updateRefusal(await fleet.snapshot(), 'customer', id)]);
      await fleet.saveCustomer({ ...body, id });
      await audited(context, req, 'customer.update', `customer/${id}`, body);
      return { customer: await one(id) };
    },
    { beforeParse: smallJson },
  );

  contractRoute(router, retireCustomer, async ({ params: { id } }, req) => {
    refuseFirst([retireRefusal(await fleet.snapshot(), 'customer', id)]);
    await fleet.retire('customer', id);
    await audited(context, req, 'customer.retire', `customer/${id}`);
    return undefined;
  });
}
