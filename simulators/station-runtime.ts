import type { Logger } from '../core/log.ts';
import { encodeTag } from '../core/modbus/codec.ts';
import type { Profile } from '../core/profile/schema.ts';
import { emptyFlatImage, type FlatImage, flatten } from './flat-image.ts';
import { applyControlWrite } from './model/control-writes.ts';
import { type ActiveFault, FaultError, type FaultName } from './model/faults.ts';
import { clearFault, type FaultRequest, injectFault } from './model/inject.ts';
import { type Readings, readings } from './model/readings.ts';
import type { StationState } from './model/station.ts';
import { createStationState, stepStation } from './model/step.ts';
import { servedValues, unfitReason } from './profile-values.ts';
import {
  buildRegisterImage,
  decodeWrite,
  EXCEPTION,
  ModbusException,
  type RegisterImage,
  readBits,
  readWords,
} from './register-map.ts';
import { eventsBetween, type StationScenario } from './scenario.ts';

/** Options of one simulated station. */
export interface StationRuntimeOptions {
  id: string;
  profile: Profile;
  seed: number;
  /** Wall-clock time of simulated second 0 (epoch ms), for the daily demand curve. */
  startTime: number;
  /** Minutes east of UTC for the daily curves. */
  utcOffsetMinutes: number;
  scenario?: StationScenario | undefined;
  logger: Logger;
}

/**
 * One station: its pure model, its scenario and its register image, behind the calls the Modbus server
 * and the control API make. The image is rebuilt only when the state changed.
 */
export class StationRuntime {
  readonly id: string;
  readonly state: StationState;
  /** Scenario events that could not be applied (logged). */
  droppedEvents = 0;
  private readonly profile: Profile;
  private readonly scenario: StationScenario | undefined;
  private readonly logger: Logger;
  /** Values clients wrote to writable tags the model has no input for (they read back as written). */
  private readonly written: Readings = {};
  private cachedImage: RegisterImage | undefined;
  private readonly flatImage: FlatImage = emptyFlatImage();
  private flatIsCurrent = false;
  private readonly reportedUnfit = new Set<string>();

  constructor(options: StationRuntimeOptions) {
    this.id = options.id;
    this.profile = options.profile;
    this.scenario = options.scenario;
    this.logger = options.logger.child({ station: options.id });
    this.state = createStationState({
      seed: options.seed,
      pumps: options.profile.pumps,
      nominalVoltage: options.profile.nominalVoltage,
      phases: options.profile.phases,
      startTime: options.startTime,
      utcOffsetMinutes: options.utcOffsetMinutes,
      ...(options.profile.pumpCurve ? { curve: options.profile.pumpCurve } : {}),
    });
    if (this.scenario) for (const due of eventsBetween(this.scenario, -1, 0)) this.applyEvent(due.event);
  }

  /** Simulated seconds since start. */
  get time(): number {
    return this.state.time;
  }

  /** Advances simulated time, applying scenario events at their own instants. */
  advance(dtSeconds: number): void {
    if (dtSeconds <= 0) return;
    const end = this.state.time + dtSeconds;
    if (this.scenario) {
      for (const due of eventsBetween(this.scenario, this.state.time, end)) {
        stepStation(this.state, Math.max(0, due.time - this.state.time));
        this.applyEvent(due.event);
      }
    }
    stepStation(this.state, Math.max(0, end - this.state.time));
    this.cachedImage = undefined;
  }

  readings(): Readings {
    return { ...readings(this.state), ...this.written };
  }

  faults(): ActiveFault[] {
    return this.state.faults.map((f) => ({ ...f, params: { ...f.params } }));
  }

  hasFault(fault: FaultName): boolean {
    return this.state.faults.some((f) => f.fault === fault);
  }

  inject(request: FaultRequest): ActiveFault {
    this.refuseUnfitValue(request);
    const active = injectFault(this.state, request);
    this.cachedImage = undefined;
    this.logger.info({ fault: active.fault, pump: active.pump, params: active.params }, 'fault injected');
    return active;
  }

  clear(fault: string, pump?: number): ActiveFault[] {
    const cleared = clearFault(this.state, fault, pump);
    this.cachedImage = undefined;
    this.logger.info({ fault, pump }, 'fault cleared');
    return cleared;
  }

  /** The tables as typed arrays (see flat-image.ts), rebuilt at most once per model step. */
  flat(): FlatImage {
    const image = this.image();
    if (!this.flatIsCurrent) {
      flatten(image, this.flatImage);
      this.flatIsCurrent = true;
    }
    return this.flatImage;
  }

  image(): RegisterImage {
    if (!this.cachedImage) {
      this.flatIsCurrent = false;
      this.cachedImage = buildRegisterImage(this.profile, servedValues(this.profile, this.readings()));
      for (const reason of this.cachedImage.unfit) {
        if (this.reportedUnfit.has(reason)) continue;
        this.reportedUnfit.add(reason);
        this.logger.warn({ reason }, 'a value does not fit its register: served as not available');
      }
    }
    return this.cachedImage;
  }

  /** A stuck sensor's value must fit the sensor's register: refused, not clamped into another value. */
  private refuseUnfitValue(request: FaultRequest): void {
    if (request.fault !== 'sensor_stuck') return;
    const params = request.params ?? {};
    const tag = this.profile.tags.find((t) => t.meaning === params.meaning);
    if (!tag || typeof params.value !== 'number') return;
    try {
      encodeTag(tag, params.value);
    } catch (error) {
      const reason = unfitReason(tag, error);
      if (reason) throw new FaultError(`sensor_stuck: value ${params.value} refused: ${reason}`, 'invalid');
      throw error;
    }
  }

  readWords(area: 'input' | 'holding', address: number, count: number): number[] {
    return readWords(this.image(), area, address, count);
  }

  readBits(area: 'coil' | 'discrete', address: number, count: number): boolean[] {
    return readBits(this.image(), area, address, count);
  }

  /** A client's write to holding registers or coils; throws a ModbusException the server replies with. */
  write(area: 'holding' | 'coil', address: number, values: ReadonlyArray<number | boolean>): void {
    const writes = decodeWrite(this.profile, this.image(), area, address, values);
    for (const { tag, value } of writes) {
      try {
        if (!applyControlWrite(this.state, tag.meaning, value)) this.written[tag.meaning] = value;
      } catch (error) {
        if (!(error instanceof FaultError || error instanceof RangeError)) throw error;
        this.cachedImage = undefined;
        throw new ModbusException(EXCEPTION.illegalDataValue, error.message);
      }
    }
    this.cachedImage = undefined;
    this.logger.info({ area, address, values }, 'client write');
  }

  private applyEvent(event: StationScenario['events'][number]): void {
    try {
      if (event.clear) this.clear(event.fault, event.pump);
      else this.inject({ fault: event.fault, pump: event.pump, params: event.params });
    } catch (error) {
      if (!(error instanceof FaultError)) throw error;
      this.droppedEvents++;
      this.logger.warn(
        { event, err: error.message, dropped: this.droppedEvents },
        'scenario event not applied',
      );
    }
  }
}
