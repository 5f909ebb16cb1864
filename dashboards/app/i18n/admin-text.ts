/**
 * Texts of the admin pages, one block per section so each section's texts travel with it. en.ts
 * and zh-cn.ts spread these in; a key missing from the Chinese half fails the type check.
 */
const adminEn = {
  'nav.admin': 'Administration',
  'admin.title': 'Administration',
  'admin.sections': 'Sections',
  'admin.section.audit': 'Audit log',
  'admin.section.edges': 'Edge gateways',
  'admin.section.accounts': 'Accounts',
  'admin.audit.when': 'When',
  'admin.audit.who': 'Who',
  'admin.audit.action': 'Action',
  'admin.audit.target': 'Target',
  'admin.audit.result': 'Result',
  'admin.audit.filterAction': 'Action starts with',
  'admin.audit.empty': 'Nothing recorded yet.',
  'admin.audit.result.ok': 'done',
  'admin.audit.result.refused': 'refused',
  'admin.audit.result.failed': 'failed',
  // What each audited action is called: `admin.audit.do.<action>`; an action without one shows its code.
  'admin.audit.do.contract.put': 'Contract saved',
  'admin.audit.do.sla_policy.put': 'SLA policy saved',
  'admin.audit.do.site.thresholds': 'Site thresholds changed',
  'admin.audit.do.station.put': 'Station saved',
  'admin.audit.do.pump.put': 'Pump saved',
  'admin.audit.do.station.acceptance': 'Acceptance recorded',
  'admin.audit.do.customer.create': 'Customer created',
  'admin.audit.do.customer.update': 'Customer changed',
  'admin.audit.do.customer.retire': 'Customer retired',
  'admin.audit.do.site.create': 'Site created',
  'admin.audit.do.site.update': 'Site changed',
  'admin.audit.do.site.retire': 'Site retired',
  'admin.audit.do.contract.create': 'Contract created',
  'admin.audit.do.contract.retire': 'Contract retired',
  'admin.audit.do.station.retire': 'Station retired',
  'admin.audit.do.fleet.import': 'Fleet imported',
  'admin.audit.do.edge.create': 'Edge gateway created',
  'admin.audit.do.edge.rename': 'Edge gateway renamed',
  'admin.audit.do.edge.stations': 'Edge gateway stations set',
  'admin.audit.do.edge.revoke': 'Edge gateway revoked',
  'admin.audit.do.edge.rotate': 'Edge gateway password renewed',
  'admin.audit.do.edge.retire': 'Edge gateway retired',
  'admin.audit.do.account.create': 'Account created',
  'admin.audit.do.account.change': 'Account changed',
  'admin.audit.do.account.disable': 'Account disabled',
  'admin.audit.do.account.enable': 'Account enabled',
  'admin.audit.do.account.password': 'Password set',
  'admin.audit.do.command.reset_trip': 'Remote command: reset trip',
  'admin.audit.do.command.switch_duty': 'Remote command: switch duty pump',
  'admin.audit.do.command.set_pressure': 'Remote command: change pressure set point',
  'admin.audit.do.command.start_pump': 'Remote command: start pump',
  'admin.audit.do.command.stop_pump': 'Remote command: stop pump',
  // The kind of thing a target names (`station/demo/st1`).
  'admin.audit.kind.customer': 'customer',
  'admin.audit.kind.site': 'site',
  'admin.audit.kind.contract': 'contract',
  'admin.audit.kind.sla_policy': 'SLA policy',
  'admin.audit.kind.station': 'station',
  'admin.audit.kind.edge': 'edge',
  'admin.audit.kind.account': 'account',
  'admin.audit.kind.file': 'file',
} as const;

export type AdminMessageKey = keyof typeof adminEn;

const adminZhCN: Record<AdminMessageKey, string> = {
  'nav.admin': '系统管理',
  'admin.title': '系统管理',
  'admin.sections': '管理项目',
  'admin.section.audit': '操作审计',
  'admin.section.edges': '边缘网关',
  'admin.section.accounts': '账号',
  'admin.audit.when': '时间',
  'admin.audit.who': '操作人',
  'admin.audit.action': '操作',
  'admin.audit.target': '对象',
  'admin.audit.result': '结果',
  'admin.audit.filterAction': '操作前缀',
  'admin.audit.empty': '暂无记录。',
  'admin.audit.result.ok': '成功',
  'admin.audit.result.refused': '被拒绝',
  'admin.audit.result.failed': '失败',
  'admin.audit.do.contract.put': '保存合同',
  'admin.audit.do.sla_policy.put': '保存服务等级',
  'admin.audit.do.site.thresholds': '修改站点报警阈值',
  'admin.audit.do.station.put': '保存泵站',
  'admin.audit.do.pump.put': '保存水泵',
  'admin.audit.do.station.acceptance': '记录验收',
  'admin.audit.do.customer.create': '新建客户',
  'admin.audit.do.customer.update': '修改客户',
  'admin.audit.do.customer.retire': '停用客户',
  'admin.audit.do.site.create': '新建站点',
  'admin.audit.do.site.update': '修改站点',
  'admin.audit.do.site.retire': '停用站点',
  'admin.audit.do.contract.create': '新建合同',
  'admin.audit.do.contract.retire': '停用合同',
  'admin.audit.do.station.retire': '停用泵站',
  'admin.audit.do.fleet.import': '批量导入台账',
  'admin.audit.do.edge.create': '新建边缘网关',
  'admin.audit.do.edge.rename': '重命名边缘网关',
  'admin.audit.do.edge.stations': '设置边缘网关的泵站',
  'admin.audit.do.edge.revoke': '吊销边缘网关',
  'admin.audit.do.edge.rotate': '更换边缘网关密码',
  'admin.audit.do.edge.retire': '停用边缘网关',
  'admin.audit.do.account.create': '创建账号',
  'admin.audit.do.account.change': '修改账号',
  'admin.audit.do.account.disable': '停用账号',
  'admin.audit.do.account.enable': '启用账号',
  'admin.audit.do.account.password': '设置密码',
  'admin.audit.do.command.reset_trip': '远程命令：故障复位',
  'admin.audit.do.command.switch_duty': '远程命令：切换主泵',
  'admin.audit.do.command.set_pressure': '远程命令：修改压力设定值',
  'admin.audit.do.command.start_pump': '远程命令：启动水泵',
  'admin.audit.do.command.stop_pump': '远程命令：停止水泵',
  'admin.audit.kind.customer': '客户',
  'admin.audit.kind.site': '站点',
  'admin.audit.kind.contract': '合同',
  'admin.audit.kind.sla_policy': 'SLA 服务等级',
  'admin.audit.kind.station': '泵站',
  'admin.audit.kind.edge': '边缘网关',
  'admin.audit.kind.account': '账号',
  'admin.audit.kind.file': '文件',
};

export const adminText = { en: adminEn, 'zh-CN': adminZhCN };

const keyIfKnown = (key: string) => (key in adminEn ? (key as AdminMessageKey) : undefined);

/** The key naming an audited action, when there is one. */
export function auditActionKey(action: string): AdminMessageKey | undefined {
  return keyIfKnown(`admin.audit.do.${action}`);
}

/** A target's kind (its first segment) as a key, and the rest: `station/demo/st1` → station, `demo/st1`. */
export function auditTargetParts(target: string): { kind: AdminMessageKey | undefined; rest: string } {
  const [kind = '', ...rest] = target.split('/');
  const key = keyIfKnown(`admin.audit.kind.${kind}`);
  return key ? { kind: key, rest: rest.join('/') } : { kind: undefined, rest: target };
}
