import type { Locale } from '../lib/format.ts';

/**
 * Chinese names of the engineering console's counters (broker, edge, server metrics). English
 * shows the counters' own names, the ones Prometheus and the logs use; a counter added later shows
 * by its name until it is named here.
 */
const ZH: Record<string, string> = {
  connectedClients: '已连接客户端',
  messagesIn: '收到消息',
  messagesOut: '发出消息',
  authFailures: '认证失败',
  publishDenials: '发布被拒',
  subscribeDenials: '订阅被拒',
  oversizedPackets: '超长报文',
  droppedConnections: '断开的连接',
  clientErrors: '客户端错误',
  floodGuardDeferrals: '防洪延迟',
  aclDenials: '权限拒绝',
  clientIdRefusals: '客户端标识被拒',
  queueDrops: '队列溢出丢弃',
  queuedBytes: '排队字节',
  rssBytes: '常驻内存字节',
  'mqtt.connected': 'MQTT 已连接',
  'mqtt.acked': 'MQTT 已确认',
  'mqtt.pending': 'MQTT 待确认',
  'mqtt.dropped': 'MQTT 已丢弃',
  'mqtt.reconnects': 'MQTT 重连次数',
  'mqtt.spool.entries': '缓存条目',
  'mqtt.spool.bytes': '缓存字节',
  'mqtt.spool.inFlight': '缓存发送中',
  'mqtt.spool.backlog': '缓存积压',
  'mqtt.spool.acked': '缓存已确认',
  'mqtt.spool.replayed': '缓存重发',
  'mqtt.spool.spoolErrors': '缓存错误',
  // The edge's disk (issue 17): readings that skipped a spool that could not write.
  'mqtt.spool.state': '缓存状态',
  'mqtt.spool.code': '缓存故障原因',
  'mqtt.spool.unspooled': '未落盘（直接发送）',
  'mqtt.spool.sentLive': '未落盘已确认',
  'mqtt.spool.lost': '丢失',
  'mqtt.spool.memoryFull': '内存已满丢弃',
  'mqtt.spool.truncations': '缓存清理次数',
  'mqtt.spool.batches': '缓存批次',
  // The edge's poll plan under overload (issue 21): intervals stretched, cycles deferred.
  'totals.missedCycles': '错过周期合计',
  'totals.deferredCycles': '推迟周期合计',
  'polling.stretched': '轮询已放慢',
  'polling.deferred': '推迟的周期',
  'polling.stretches': '放慢次数',
  'polling.recoveries': '恢复次数',
  'totals.cycles': '轮询周期合计',
  'totals.reads': '读取合计',
  'totals.readErrors': '读取错误合计',
  'totals.timeouts': '超时合计',
  'totals.exceptions': 'Modbus 异常合计',
  'totals.published': '已发布合计',
  state: '状态',
  cycles: '轮询周期',
  reads: '读取',
  readErrors: '读取错误',
  timeouts: '超时',
  missedCycles: '错过周期',
  lastCycleMs: '上次周期（ms）',
  points_written_total: '已写入数据点',
  ingest_in_flight: '处理中的消息',
  mqtt_messages_total: 'MQTT 消息',
  store_queue_depth: '存储队列深度',
  ingest_blocked: '接收阻塞',
  ingest_evaluation_backlog: '待规则与模型评估的消息',
  mqtt_connected: 'MQTT 已连接',
  live_clients: '实时连接客户端',
  store_errors_total: '存储错误',
  bad_payloads_total: '无效报文',
};

const ZH_LABELS: Record<string, string> = {
  kind: '类型',
  operation: '操作',
  telemetry: '遥测',
  edgeStatus: '网关状态',
  write: '写入',
  query: '查询',
};

const ZH_VALUES: Record<string, string> = {
  true: '是',
  false: '否',
  ok: '正常',
  degraded: '降级',
  comms_failed: '通信失败',
  full: '已满',
  read_only: '只读',
  unavailable: '不可用',
};

/** A counter's name (`mqtt.acked`, `mqtt_messages_total{kind=telemetry}`) for the reader. */
export function counterName(locale: Locale, key: string): string {
  if (locale !== 'zh-CN') return key;
  const match = /^([^{]+)(?:\{(.*)\})?$/.exec(key.replace(/^aftercare_/, ''));
  if (!match) return key;
  const name = ZH[match[1] as string] ?? (match[1] as string);
  if (!match[2]) return name;
  const labels = match[2].split(',').map((pair) => {
    const [label = '', value = ''] = pair.split('=');
    return `${ZH_LABELS[label] ?? label}：${ZH_LABELS[value] ?? value}`;
  });
  return `${name}（${labels.join('，')}）`;
}

/** A counter's text value (`true`, `ok`) for the reader; numbers stay as they are. */
export function counterValue(locale: Locale, value: string): string {
  return locale === 'zh-CN' ? (ZH_VALUES[value] ?? value) : value;
}
