import type { Request, RequestHandler } from 'express';
import express from 'express';
import type { Refusal } from '../../core/fleet/fleet-rules.ts';
import { actor } from '../auth/roles.ts';
import { RefusedError } from '../db/errors.ts';
import type { RouteContext } from '../http/route-context.ts';

/** Throws the first refusal as the route's answer: its status, the field in the sentence, its code. */
export function refuseFirst(refusals: readonly (Refusal | undefined)[]): void {
  const refusal = refusals.find((r) => r !== undefined);
  if (!refusal) return;
  throw new RefusedError(`${refusal.field}: ${refusal.message}`, refusal.status, refusal.code, {
    ...refusal.params,
    field: refusal.field,
  });
}

/** The JSON body parser of the fleet's small bodies (the import has its own, larger one). */
export const smallJson: RequestHandler[] = [express.json({ limit: '256kb' })];

/** Records an admin action that succeeded. */
export async function audited(
  context: RouteContext,
  req: Request,
  action: string,
  target: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await context.audit.record(actor(req), { action, target, result: 'ok', detail });
}
