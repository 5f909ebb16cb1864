/**
 * Texts of the edge's disk faults (issue 17): fault titles the server codes and every reader renders.
 * Spread into messages-en.ts and messages-zh-cn.ts.
 */
export const EDGE_DISK_MESSAGES_EN = {
  'fault.edge_disk_full': 'Edge disk full: telemetry sent live without a spool',
  'fault.edge_spool_read_only': 'Edge spool read-only: telemetry sent live without a spool',
  'fault.edge_spool_unavailable': 'Edge spool unavailable: telemetry sent live without a spool',
} as const;

export const EDGE_DISK_MESSAGES_ZH_CN: Record<keyof typeof EDGE_DISK_MESSAGES_EN, string> = {
  'fault.edge_disk_full': '边缘网关磁盘已满：遥测数据直接实时发送，未落盘缓存',
  'fault.edge_spool_read_only': '边缘网关缓存目录只读：遥测数据直接实时发送，未落盘缓存',
  'fault.edge_spool_unavailable': '边缘网关缓存无法使用：遥测数据直接实时发送，未落盘缓存',
};
