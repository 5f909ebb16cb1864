/**
 * Texts of the edge's disk (issue 17): an edge whose spool cannot write, on the engineering page.
 * en.ts and zh-cn.ts spread these in; the fault titles (alarms, tickets) are in core/i18n/edge-disk-messages.ts.
 */
const edgeDiskEn = {
  'edgeDisk.spool.full': 'disk full ({code}): readings sent live without a spool',
  'edgeDisk.spool.read_only': 'spool read-only ({code}): readings sent live without a spool',
  'edgeDisk.spool.unavailable': 'spool unavailable ({code}): readings sent live without a spool',
} as const;

const edgeDiskZhCN: Record<keyof typeof edgeDiskEn, string> = {
  'edgeDisk.spool.full': '磁盘已满（{code}）：数据直接实时发送，未落盘缓存',
  'edgeDisk.spool.read_only': '缓存目录只读（{code}）：数据直接实时发送，未落盘缓存',
  'edgeDisk.spool.unavailable': '缓存无法使用（{code}）：数据直接实时发送，未落盘缓存',
};

export const edgeDiskText = { en: edgeDiskEn, 'zh-CN': edgeDiskZhCN };
