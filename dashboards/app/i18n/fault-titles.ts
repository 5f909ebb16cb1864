import type { Locale } from '../lib/format.ts';

/** Chinese titles of the server's fault classes (server/alarms/catalogue.ts). */
const ZH: Record<string, string> = {
  comms_lost: '泵站通信中断',
  edge_offline: '边缘网关离线',
  mains_loss: '市电失电',
  phase_loss: '缺相',
  voltage_imbalance: '电源电压不平衡',
  under_voltage: '电源欠压',
  over_voltage: '电源过压',
  pump_trip: '水泵跳闸',
  redundancy_lost: '切换至备用泵：冗余丧失',
  all_pumps_down: '全部水泵停运',
  overcurrent: '水泵过流',
  grounding_fault: '接地故障',
  insulation_warning: '绝缘电阻偏低（预警）',
  insulation_low: '绝缘电阻过低',
  outlet_pressure_low: '出口压力过低',
  tank_low: '水箱液位低',
  dry_run: '干转：水箱无水时水泵运行',
  motor_overtemperature: '电机绕组过温',
  vibration_zone_c: '振动进入 ISO 10816-3 C 区',
  vibration_zone_d: '振动进入 ISO 10816-3 D 区',
  sensor_stuck: '传感器卡死（数值冻结）',
  sensor_out_of_range: '传感器超量程',
};

/** An alarm's or ticket's title in the user's language; English comes from the server as is. */
export function faultTitle(locale: Locale, faultClass: string | null, serverTitle: string): string {
  if (locale === 'zh-CN' && faultClass && ZH[faultClass]) return ZH[faultClass];
  return serverTitle;
}

/** "pump[2]" as "Pump 2" / "2号泵"; '' stays ''. */
export function subjectText(locale: Locale, subject: string): string {
  const pump = /^pump\[(\d)\]$/.exec(subject);
  if (pump) return locale === 'zh-CN' ? `${pump[1]}号泵` : `pump ${pump[1]}`;
  return subject;
}
