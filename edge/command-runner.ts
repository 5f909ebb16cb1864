import type { CommandMessage, CommandResult, RefusalCode } from '../core/commands/payloads.ts';
import { decodeTag, tagWidth } from '../core/modbus/codec.ts';
import { confirms, resolveCommand } from '../core/profile/command-schema.ts';
import type { Profile } from '../core/profile/schema.ts';
import type { ModbusSource } from './modbus-source.ts';
import { writeTagValue } from './tag-writer.ts';

/** What running a command needs: the station's profile and device, a clock and a way to wait. */
export interface CommandRunnerDeps {
  site: string;
  edgeId: string;
  station(id: string): { profile: Profile; source: ModbusSource } | undefined;
  /** Epoch ms. Default Date.now. */
  clock?: () => number;
  /** Default a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Gap between read-backs while the controller has not yet shown the change, ms. Default 250. */
  readBackEveryMs?: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs one remote command on a station's controller: refused when expired (the edge's clock), for a
 * station of another edge, or when the profile cannot take it; else written over Modbus and read
 * back until the controller shows the expected value or the profile's read-back window (never past
 * the command's expiry) runs out. Never throws: every outcome is a result to publish.
 */
export async function runCommand(command: CommandMessage, deps: CommandRunnerDeps): Promise<CommandResult> {
  const clock = deps.clock ?? Date.now;
  const sleep = deps.sleep ?? realSleep;
  const result = (
    status: CommandResult['status'],
    detail: string,
    code?: RefusalCode,
    readBack: CommandResult['readBack'] = null,
  ): CommandResult => ({
    v: 1,
    id: command.id,
    site: command.site,
    station: command.station,
    edge: deps.edgeId,
    status,
    ...(code ? { code } : {}),
    readBack,
    detail: detail.slice(0, 500),
    ts: clock(),
  });
  if (clock() >= command.expiresAt)
    return result('refused', 'the command expired before it arrived', 'expired');
  const station = command.site === deps.site ? deps.station(command.station) : undefined;
  if (!station)
    return result(
      'refused',
      `no station ${command.site}/${command.station} on edge ${deps.edgeId}`,
      'unknown_station',
    );
  const resolved = resolveCommand(station.profile, command.kind, command.pump, command.value);
  if ('refused' in resolved) return result('refused', resolved.detail, resolved.refused);
  try {
    await writeTagValue(station.profile, station.source, resolved.write.tag.meaning, resolved.write.value);
  } catch (error) {
    return result('refused', `write ${resolved.write.tag.name}: ${(error as Error).message}`, 'write_failed');
  }
  const { tag } = resolved.readBack;
  const deadline = Math.min(clock() + resolved.readBack.withinMs, command.expiresAt);
  let read: number | boolean | null = null;
  let lastError = '';
  for (;;) {
    try {
      const block = await station.source.read(tag.area, tag.address, tagWidth(tag));
      read = decodeTag(tag, block, 0);
      if (confirms(read, resolved.readBack))
        return result('confirmed', `${tag.name} = ${read}`, undefined, read);
    } catch (error) {
      lastError = `: ${(error as Error).message}`;
    }
    if (clock() >= deadline) break;
    await sleep(Math.min(deps.readBackEveryMs ?? 250, Math.max(0, deadline - clock())));
  }
  return result(
    'refused',
    `${tag.name} read ${read} after the write, expected ${resolved.readBack.equals}${lastError}`,
    'not_confirmed',
    read,
  );
}
