import { isBitArea, type Profile, type RegisterArea } from '../core/profile/schema.ts';
import { cycleReads } from './profile-reads.ts';

/** Modbus function codes of node-red-contrib-modbus's getter `dataType`s, per register area. */
const GETTER_DATA_TYPE: Record<RegisterArea, string> = {
  coil: 'Coil',
  discrete: 'Input',
  holding: 'HoldingRegister',
  input: 'InputRegister',
};

/** What the decoding function node knows of one tag: the block it is in, where, and how to scale. */
interface DecodeRow {
  field: string;
  block: number;
  index: number;
  type: string;
  big: boolean;
  scale: number;
  offset: number;
  bit?: number;
}

export interface DiyStation {
  id: string;
  host: string;
  port: number;
  unitId: number;
}

/**
 * The flow a plant engineer builds by hand to log a station to InfluxDB: per station a
 * modbus-client, an inject every `intervalMs`, one modbus-getter per block the profile needs (the
 * same reads the edge makes), a join of the blocks, a function node that decodes and scales them
 * per the profile, and node-red-contrib-influxdb writing one point per station per poll.
 */
export function diyFlow(
  profile: Profile,
  stations: readonly DiyStation[],
  influx: { host: string; port: number; database: string },
  intervalMs: number,
  site: string,
): object[] {
  const reads = cycleReads(profile);
  const rows: DecodeRow[] = reads.flatMap((read, block) =>
    read.tags.map(({ tag, index }) => ({
      field: tag.meaning.replaceAll(/[[\].]/g, '_'),
      block,
      index,
      type: isBitArea(tag.area) ? 'bit' : tag.type,
      big: tag.wordOrder === 'big',
      scale: tag.scale,
      offset: tag.offset,
      ...(tag.bit === undefined ? {} : { bit: tag.bit }),
    })),
  );
  const influxId = 'diy-influx';
  const nodes: object[] = [
    { id: 'diy-tab', type: 'tab', label: 'DIY logging' },
    {
      id: influxId,
      type: 'influxdb',
      hostname: influx.host,
      port: String(influx.port),
      protocol: 'http',
      database: influx.database,
      name: 'influx',
      usetls: false,
      influxdbVersion: '1.x',
    },
  ];
  stations.forEach((station, s) => {
    const id = (what: string) => `diy-${s}-${what}`;
    const getterIds = reads.map((_, block) => id(`get${block}`));
    nodes.push(
      {
        id: id('client'),
        type: 'modbus-client',
        name: station.id,
        clienttype: 'tcp',
        bufferCommands: true,
        stateLogEnabled: false,
        queueLogEnabled: false,
        failureLogEnabled: false,
        tcpHost: station.host,
        tcpPort: String(station.port),
        tcpType: 'DEFAULT',
        unit_id: String(station.unitId),
        commandDelay: 1,
        clientTimeout: 1000,
        reconnectOnTimeout: true,
        reconnectTimeout: 2000,
        parallelUnitIdsAllowed: true,
      },
      {
        id: id('tick'),
        type: 'inject',
        z: 'diy-tab',
        repeat: String(intervalMs / 1000),
        once: true,
        onceDelay: 0.5 + (s % 10) / 10,
        topic: '',
        payload: '',
        payloadType: 'date',
        wires: [getterIds],
      },
      ...reads.map((read, block) => ({
        id: getterIds[block],
        type: 'modbus-getter',
        z: 'diy-tab',
        unitid: '',
        dataType: GETTER_DATA_TYPE[read.area],
        adr: String(read.address),
        quantity: String(read.count),
        server: id('client'),
        showStatusActivities: false,
        showErrors: false,
        useIOFile: false,
        useIOForPayload: false,
        emptyMsgOnFail: false,
        keepMsgProperties: false,
        wires: [[id('join')], []],
      })),
      {
        id: id('join'),
        type: 'join',
        z: 'diy-tab',
        mode: 'custom',
        build: 'object',
        property: 'payload',
        propertyType: 'msg',
        key: 'topic',
        joiner: '\\n',
        joinerType: 'str',
        accumulate: false,
        timeout: String(Math.max(1, (intervalMs / 1000) * 0.9)),
        count: String(reads.length),
        wires: [[id('decode')]],
      },
      {
        id: id('decode'),
        type: 'function',
        z: 'diy-tab',
        name: 'decode per profile',
        func: decodeFunction(rows, getterIds, site, station.id),
        outputs: 1,
        wires: [[id('write')]],
      },
      {
        id: id('write'),
        type: 'influxdb out',
        z: 'diy-tab',
        influxdb: influxId,
        name: '',
        measurement: 'station',
        precision: '',
        retentionPolicy: '',
        wires: [],
      },
    );
  });
  return nodes;
}

/** The function node's body: the blocks by getter id, decoded as the profile says. */
function decodeFunction(rows: DecodeRow[], getterIds: string[], site: string, station: string): string {
  return `const ROWS = ${JSON.stringify(rows)};
const BLOCKS = ${JSON.stringify(getterIds)};
const blocks = BLOCKS.map((id) => msg.payload[id]);
if (blocks.some((b) => !Array.isArray(b))) return null;
const view = new DataView(new ArrayBuffer(4));
const fields = {};
for (const r of ROWS) {
  const words = blocks[r.block];
  const first = words[r.index];
  let raw;
  if (r.type === 'bit') { fields[r.field] = Boolean(first); continue; }
  if (r.type === 'bool') { fields[r.field] = r.bit === undefined ? first !== 0 : ((first >> r.bit) & 1) === 1; continue; }
  if (r.type === 'uint16') raw = first & 0xffff;
  else if (r.type === 'int16') raw = (first << 16) >> 16;
  else {
    const second = words[r.index + 1];
    view.setUint16(0, r.big ? first : second);
    view.setUint16(2, r.big ? second : first);
    raw = r.type === 'int32' ? view.getInt32(0) : r.type === 'uint32' ? view.getUint32(0) : view.getFloat32(0);
  }
  fields[r.field] = raw * r.scale + r.offset;
}
msg.payload = [fields, { site: ${JSON.stringify(site)}, station: ${JSON.stringify(station)} }];
return msg;`;
}
