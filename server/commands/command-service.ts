import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  COMMAND_TTL,
  type CommandMessage,
  type CommandRequest,
  type CommandView,
  commandResultSchema,
} from '../../core/commands/payloads.ts';
import type { Logger } from '../../core/log.ts';
import type { Profile } from '../../core/profile/schema.ts';
import { topics } from '../../core/telemetry/topics.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { ActingUser } from '../auth/roles.ts';
import { RefusedError } from '../db/errors.ts';
import type { ServiceDatabase } from '../db/schema.ts';
import type { StationHub } from '../ingest/station-hub.ts';
import { decideCommand } from './command-decision.ts';
import { CommandStore } from './command-store.ts';

/** Options of the command service, each with its default. */
export interface CommandServiceOptions {
  db: Kysely<ServiceDatabase>;
  audit: AuditLog;
  /** Latest values and edge states: the offline and last-running-pump checks read them. */
  hub: Pick<StationHub, 'latest' | 'edges'>;
  /** Looks a station's profile up by model when each command is decided (profiles reload while running). */
  profileOf: (model: string) => Profile | undefined;
  /** Sends a command down (QoS 1); rejects when the broker did not take it. */
  publish(topic: string, payload: string): Promise<void>;
  brokerConnected(): boolean;
  /** A command settled or was sent: the live stream hands it to the station's site room. */
  onChange?(command: CommandView): void;
  /** Epoch ms. Default Date.now. */
  clock?: () => number;
  /** A station silent longer than this is offline, ms. Default 30000. */
  offlineAfterMs?: number;
  /** How long past its expiry the server still waits for the edge's answer before marking it expired, ms. Default 3000. */
  resultGraceMs?: number;
  logger: Logger;
}

/**
 * Remote commands end to end on the server: decide (pure), record, send on the station's commands
 * topic, settle from the edge's result or expire, audit every outcome, tell the live stream.
 * `issue` answers once the command settled, so the caller learns whether the edge confirmed it.
 */
export class CommandService {
  readonly store: CommandStore;
  private readonly waiting = new Map<string, (view: CommandView) => void>();
  private readonly clock: () => number;

  constructor(private readonly o: CommandServiceOptions) {
    this.store = new CommandStore(o.db);
    this.clock = o.clock ?? Date.now;
  }

  /** Sends a command and waits until it settles; a refusal (by the server or the edge) is a RefusedError. */
  async issue(who: ActingUser, site: string, station: string, request: CommandRequest): Promise<CommandView> {
    const now = this.clock();
    const latest = this.o.hub.latest.get(site, station);
    const edge = latest
      ? this.o.hub.edges.list().find((e) => e.site === site && e.edge === latest.edge)
      : undefined;
    const decision = decideCommand({
      request,
      latest,
      edgeOnline: edge?.online,
      profile: latest ? this.o.profileOf(latest.model) : undefined,
      brokerConnected: this.o.brokerConnected(),
      now,
      offlineAfterMs: this.o.offlineAfterMs ?? 30_000,
    });
    const ttl = Math.min(request.ttlMs ?? COMMAND_TTL.defaultMs, COMMAND_TTL.maxMs);
    const command: CommandView = {
      id: randomUUID(),
      site,
      station,
      kind: request.command,
      pump: request.pump ?? null,
      value: request.value ?? null,
      status: decision.send ? 'pending' : 'refused',
      code: decision.send ? null : decision.code,
      detail: decision.send ? '' : decision.detail,
      readBack: null,
      by: who.username,
      role: who.role,
      issuedAt: now,
      expiresAt: now + ttl,
      settledAt: decision.send ? null : now,
    };
    if (!decision.send) {
      await this.o.db.transaction().execute(async (tx) => {
        await this.store.insert({ ...command, edge: latest?.edge ?? null }, tx);
        await this.audit(command, tx);
      });
      this.o.onChange?.(command);
      throw this.refusal(command, decision.status);
    }
    await this.store.insert({ ...command, edge: decision.edge });
    const settled = new Promise<CommandView>((resolve) => this.waiting.set(command.id, resolve));
    this.o.onChange?.(command);
    const message: CommandMessage = {
      v: 1,
      id: command.id,
      site,
      station,
      kind: command.kind,
      ...(request.pump !== undefined ? { pump: request.pump } : {}),
      ...(request.value !== undefined ? { value: request.value } : {}),
      issuedAt: command.issuedAt,
      expiresAt: command.expiresAt,
      by: who.username,
    };
    try {
      await this.o.publish(topics.commands(site, station), JSON.stringify(message));
    } catch (error) {
      await this.settle(command.id, {
        status: 'refused',
        code: 'no_broker',
        detail: `the broker did not take the command: ${(error as Error).message}`,
        readBack: null,
      });
    }
    this.o.logger.info(
      { id: command.id, site, station, kind: command.kind, by: who.username },
      'command sent',
    );
    const view = await settled;
    if (view.status !== 'confirmed') throw this.refusal(view, 409);
    return view;
  }

  /** An edge's answer from `aftercare/v1/{site}/{station}/command-results`. Bad payloads are logged and dropped. */
  async onResult(topic: string, payload: Uint8Array): Promise<void> {
    let data: unknown;
    try {
      data = JSON.parse(Buffer.from(payload).toString('utf8'));
    } catch {
      data = undefined;
    }
    const parsed = commandResultSchema.safeParse(data);
    if (!parsed.success || topic !== topics.commandResults(parsed.data.site, parsed.data.station)) {
      this.o.logger.warn(
        { topic, err: parsed.error?.message ?? 'site or station differs from topic' },
        'command result dropped',
      );
      return;
    }
    const result = parsed.data;
    const settled = await this.settle(result.id, {
      status: result.status,
      code: result.code ?? null,
      detail: result.detail,
      readBack: result.readBack,
      edge: result.edge,
    });
    // An answer for a command of another station, or after it expired, changes nothing.
    if (!settled)
      this.o.logger.warn({ id: result.id, status: result.status }, 'late or unknown command result');
  }

  /** Marks expired every pending command whose edge did not answer in time. Call every second or so. */
  async expireDue(now: number = this.clock()): Promise<void> {
    const due = await this.store.pendingExpiredBefore(now - (this.o.resultGraceMs ?? 3000));
    for (const command of due) {
      await this.settle(command.id, {
        status: 'expired',
        code: 'expired',
        detail: 'no answer from the edge within the time to live',
        readBack: null,
      });
    }
  }

  recent(site: string, station: string, limit: number): Promise<CommandView[]> {
    return this.store.recent(site, station, limit);
  }

  /** A station the server has heard from, has registered or was asked a command of: one the list can be about. */
  async knows(site: string, station: string): Promise<boolean> {
    if (this.o.hub.latest.get(site, station)) return true;
    const registered = await this.o.db
      .selectFrom('stations')
      .select('id')
      .where('site_id', '=', site)
      .where('id', '=', station)
      .executeTakeFirst();
    if (registered) return true;
    const asked = await this.o.db
      .selectFrom('commands')
      .select('id')
      .where('site_id', '=', site)
      .where('station_id', '=', station)
      .limit(1)
      .executeTakeFirst();
    return asked !== undefined;
  }

  private async settle(
    id: string,
    outcome: Omit<Parameters<CommandStore['settle']>[1], 'at'>,
  ): Promise<CommandView | undefined> {
    const settled = await this.o.db.transaction().execute(async (tx) => {
      const view = await this.store.settle(id, { ...outcome, at: this.clock() }, tx);
      if (view) await this.audit(view, tx);
      return view;
    });
    if (!settled) return undefined;
    this.o.onChange?.(settled);
    this.waiting.get(id)?.(settled);
    this.waiting.delete(id);
    return settled;
  }

  private audit(command: CommandView, db: Kysely<ServiceDatabase>): Promise<number> {
    return this.o.audit.record(
      { username: command.by, role: command.role as ActingUser['role'] },
      {
        action: `command.${command.kind}`,
        target: `station/${command.site}/${command.station}`,
        result: command.status === 'confirmed' ? 'ok' : command.status === 'expired' ? 'failed' : 'refused',
        detail: {
          id: command.id,
          ...(command.pump !== null ? { pump: command.pump } : {}),
          ...(command.value !== null ? { value: command.value } : {}),
          status: command.status,
          ...(command.code ? { code: command.code } : {}),
          ...(command.detail ? { reason: command.detail } : {}),
          ...(command.readBack !== null ? { readBack: command.readBack } : {}),
        },
      },
      db,
    );
  }

  private refusal(command: CommandView, status: 400 | 409): RefusedError {
    const code = command.code ?? 'expired';
    return new RefusedError(
      `command ${command.kind} refused (${code}): ${command.detail}`,
      status,
      `command.refused.${code}`,
      {
        id: command.id,
        station: `${command.site}/${command.station}`,
        ...(command.pump !== null ? { pump: command.pump } : {}),
      },
    );
  }
}
