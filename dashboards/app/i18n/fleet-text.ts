/**
 * Texts of the fleet's master data: the station's acceptance panel and the admin sections of
 * customers, sites, contracts, stations and import. en.ts and zh-cn.ts spread these in; a key missing
 * from the Chinese half fails the type check.
 */
const fleetEn = {
  // The station page's acceptance panel (验收).
  'acceptance.title': 'Acceptance',
  'acceptance.none': 'Not accepted yet.',
  'acceptance.passed': 'Accepted',
  'acceptance.failed': 'Acceptance test failed',
  'acceptance.on': 'Accepted on',
  'acceptance.by': 'Accepted by (customer)',
  'acceptance.recordedBy': 'Recorded by',
  'acceptance.nominal': 'Nominal voltage (V)',
  'acceptance.dielectric': 'Dielectric test',
  'acceptance.dielectricOf': '{voltage} V for {seconds} s: {result}',
  'acceptance.testVoltage': 'Test voltage (V)',
  'acceptance.seconds': 'Held for (s)',
  'acceptance.dielectricPassed': 'No breakdown or flash-over',
  'acceptance.earth': 'Earth check',
  'acceptance.earthOf': '{resistance}: {result}',
  'acceptance.resistance': 'Earth resistance (Ω, if measured)',
  'acceptance.notMeasured': 'not measured',
  'acceptance.earthPassed': 'Every metal part reliably earthed (yellow-green)',
  'acceptance.pass': 'passed',
  'acceptance.fail': 'failed',
  'acceptance.notes': 'Notes',
  'acceptance.required': '{nominal} V equipment: at least {voltage} V for {seconds} s',
  'acceptance.noRule': 'No test rule for this voltage (low-voltage equipment is up to 1000 V)',
  'acceptance.warranty': 'Warranty until',
  'acceptance.warrantyUnknown': 'unknown (no contract)',
  'acceptance.parts': 'Parts',
  'acceptance.partUntil': '{part} until {day}',
  'acceptance.software': 'Software: for life',
  'acceptance.pumpWarranty': 'Pump {n} until {day}',
  'acceptance.visits': 'Follow-up visits',
  'acceptance.record': 'Record acceptance',
  'acceptance.edit': 'Record a new test',
  'acceptance.save': 'Save the record',
  'acceptance.cancel': 'Cancel',
  'acceptance.saved': 'Saved.',
  'acceptance.firstVisit': 'First follow-up visit, a week after acceptance',
  // A field the server refused with a sentence of its own schema: what it expects.
  'fleet.hint.invalid': 'This value is not valid.',
  'fleet.hint.acceptedOn': 'A date as YYYY-MM-DD, not after today.',
  'fleet.hint.acceptedBy': 'The name of the customer’s person.',
  'fleet.hint.nominalVoltage': 'A voltage above 0.',
  'fleet.hint.testVoltage': 'A voltage above 0.',
  'fleet.hint.seconds': 'Whole seconds above 0.',
  'fleet.hint.resistanceOhms': 'Ohms, 0 or more; empty when not measured.',
} as const;

export type FleetMessageKey = keyof typeof fleetEn;

const fleetZhCN: Record<FleetMessageKey, string> = {
  'acceptance.title': '验收',
  'acceptance.none': '尚未验收。',
  'acceptance.passed': '已验收',
  'acceptance.failed': '验收试验未通过',
  'acceptance.on': '验收日期',
  'acceptance.by': '验收人（客户方）',
  'acceptance.recordedBy': '记录人',
  'acceptance.nominal': '额定电压（V）',
  'acceptance.dielectric': '介电试验',
  'acceptance.dielectricOf': '{voltage} V，{seconds} 秒：{result}',
  'acceptance.testVoltage': '试验电压（V）',
  'acceptance.seconds': '持续时间（秒）',
  'acceptance.dielectricPassed': '无击穿和闪络',
  'acceptance.earth': '安全接地检验',
  'acceptance.earthOf': '{resistance}：{result}',
  'acceptance.resistance': '接地电阻（Ω，实测时填写）',
  'acceptance.notMeasured': '未测量',
  'acceptance.earthPassed': '金属构件均可靠接地（黄绿双色线）',
  'acceptance.pass': '合格',
  'acceptance.fail': '不合格',
  'acceptance.notes': '备注',
  'acceptance.required': '额定 {nominal} V 的设备：至少 {voltage} V，{seconds} 秒',
  'acceptance.noRule': '此电压没有试验规定（低压设备不超过 1000 V）',
  'acceptance.warranty': '保修期至',
  'acceptance.warrantyUnknown': '未知（未关联合同）',
  'acceptance.parts': '部件',
  'acceptance.partUntil': '{part}保修至 {day}',
  'acceptance.software': '软件：终身保修',
  'acceptance.pumpWarranty': '{n}号泵保修至 {day}',
  'acceptance.visits': '回访',
  'acceptance.record': '记录验收',
  'acceptance.edit': '记录新的试验',
  'acceptance.save': '保存记录',
  'acceptance.cancel': '取消',
  'acceptance.saved': '已保存。',
  'acceptance.firstVisit': '首次回访（验收后一周内）',
  'fleet.hint.invalid': '此项的值无效。',
  'fleet.hint.acceptedOn': '日期格式为 年-月-日，不能晚于今天。',
  'fleet.hint.acceptedBy': '填写客户方验收人的姓名。',
  'fleet.hint.nominalVoltage': '电压须大于 0。',
  'fleet.hint.testVoltage': '电压须大于 0。',
  'fleet.hint.seconds': '整数秒，大于 0。',
  'fleet.hint.resistanceOhms': '欧姆，不小于 0；未测量时留空。',
};

export const fleetText = { en: fleetEn, 'zh-CN': fleetZhCN };

/** The hint of a refused field by its last path segment (`contacts.0.phone` → phone), else a general one. */
export function fieldHintKey(path: string): FleetMessageKey {
  const last =
    path
      .split('.')
      .filter((part) => !/^\d+$/.test(part))
      .pop() ?? '';
  const key = `fleet.hint.${last}`;
  return key in fleetEn ? (key as FleetMessageKey) : 'fleet.hint.invalid';
}
