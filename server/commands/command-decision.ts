import type { CommandRequest, RefusalCode } from '../../core/commands/payloads.ts';
import { resolveCommand } from '../../core/profile/command-schema.ts';
import { pumpMeaning } from '../../core/profile/meanings.ts';
import type { Profile } from '../../core/profile/schema.ts';
import type { StationLatest } from '../ingest/latest-values.ts';

/** What the server knows of a station when a command comes in. */
export interface CommandSituation {
  request: CommandRequest;
  /** The station's latest state; undefined when it has not published since the server started. */
  latest: StationLatest | undefined;
  /** The station's edge as its last status said: false once it went offline (last will). */
  edgeOnline: boolean | undefined;
  profile: Profile | undefined;
  brokerConnected: boolean;
  now: number;
  /** A station silent longer than this is offline, ms. */
  offlineAfterMs: number;
}

export type CommandDecision =
  | { send: true; edge: string }
  | { send: false; code: RefusalCode; status: 400 | 409; detail: string };

const refuse = (code: RefusalCode, detail: string, status: 400 | 409 = 409): CommandDecision => ({
  send: false,
  code,
  status,
  detail,
});

/**
 * Whether a command may go to the station's edge (pure). Refused: a station offline by the server's
 * latest state (never published, comms failed, silent too long, or its edge offline), a broker not
 * connected, a controller whose profile cannot take the command or the value, and a stop of the last
 * running pump unless the request confirms it a second time.
 */
export function decideCommand(s: CommandSituation): CommandDecision {
  const { request, latest } = s;
  if (!latest) return refuse('offline', 'the station has not published since the server started');
  if (latest.state === 'comms_failed')
    return refuse('offline', 'the edge reports no reply from the controller');
  if (s.edgeOnline === false) return refuse('offline', `edge ${latest.edge} is offline`);
  const silentMs = s.now - latest.receivedAt;
  if (silentMs > s.offlineAfterMs)
    return refuse('offline', `no telemetry for ${Math.round(silentMs / 1000)} s`);
  if (!s.profile) return refuse('unsupported', `no profile ${latest.model} on the server`);
  const resolved = resolveCommand(s.profile, request.command, request.pump, request.value);
  if ('refused' in resolved)
    return refuse(resolved.refused, resolved.detail, resolved.refused === 'unsupported' ? 409 : 400);
  if (request.command === 'stop_pump' && request.pump !== undefined && !request.confirmLastPump) {
    const running = runningPumps(latest, s.profile.pumps);
    if (running.includes(request.pump) && running.length <= 1)
      return refuse('last_running_pump', `pump ${request.pump} is the only pump running`);
  }
  if (!s.brokerConnected) return refuse('no_broker', 'the server is not connected to the broker');
  return { send: true, edge: latest.edge };
}

/** Pumps the latest values say are running (a stale or bad value counts as running: the safe side). */
export function runningPumps(latest: StationLatest, pumps: number): number[] {
  const running: number[] = [];
  for (let pump = 1; pump <= pumps; pump++) {
    const held = latest.values[pumpMeaning(pump, 'running')];
    if (held && (held.v === true || held.q !== 'good')) running.push(pump);
  }
  return running;
}
