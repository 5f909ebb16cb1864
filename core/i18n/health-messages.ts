/**
 * Texts of the health models' explanations of an episode (server/predictive/explain-episodes.ts sends
 * the code with its parameters), in both languages: merged into the catalogues, so the station page,
 * the predictive ticket's timeline and `aftercare analyze` render them alike.
 */
export const HEALTH_MESSAGES_EN = {
  'health.explain.throttledOutlet':
    'flow {flowPct}% down while the head rose {headPct}%: the pump rides up its curve against a closed or throttled valve downstream',
  'health.explain.leakDownstream':
    'flow {flowPct}% up while the head fell {headPct}% (or held): a leak or burst downstream, or a valve opened',
  'health.explain.flowBelowCurve':
    "flow {pct}% below the pump's curve at this head: a throttled valve or a clogged strainer",
  'health.explain.flowAndHeadLow':
    'flow {flowPct}% and head {headPct}% below normal together: the pump delivers less than its curve (a clogged strainer, a throttled inlet valve, air or cavitation, a worn impeller)',
  'health.explain.dryRunning':
    'flow {flowPct}% and power {powerPct}% down together: the pump runs dry or has lost its prime',
  'health.explain.powerAboveNormal':
    'power {pct}% above normal at the same flow: friction in the pump or motor (worn bearings, misalignment, a rubbing impeller)',
  'health.explain.speedAboveCurve':
    'the pump turns {pct}% faster than its own curve needs for this flow: a worn impeller, a clogged strainer or air in the pump',
  'health.explain.headBelowCurve':
    "head {pct}% below the pump's own curve at this speed and flow (the loop turns it {speedPct}% faster to make up): a worn impeller, air in the pump or cavitation",
  'health.explain.alongCurveLow':
    'flow {pct}% down at once while the pump stays on its own curve: a valve downstream closing or throttled (a demand falls slowly, not within seconds)',
  'health.explain.inletPressureLow':
    'inlet pressure {pct}% below normal at the same flow: a clogged suction strainer, a throttled inlet valve or a low tank',
  'health.explain.vibrationHigh':
    'vibration {pct}% above its own healthy level: bearing wear, imbalance or misalignment',
  'health.explain.temperatureHigh': 'temperature {delta} K above its own healthy level',
  'health.explain.sensorSuspect':
    '{column} moved alone while the readings it depends on held: check that sensor (stuck, drifting or spiking)',
  'health.explain.sensorStuck':
    '{column} froze at {value} for {minutes} min while the readings it depends on kept moving: the sensor or its signal is stuck',
  'health.explain.sensorSpike':
    '{column} jumped {count} times for single samples while the readings it depends on held: a spiking sensor, loose wiring or interference',
  'health.explain.readingHigh': '{column} {pct}% above its own healthy level',
  'health.explain.readingLow': '{column} {pct}% below its own healthy level',
} as const;

export const HEALTH_MESSAGES_ZH_CN: Record<keyof typeof HEALTH_MESSAGES_EN, string> = {
  'health.explain.throttledOutlet':
    '流量下降 {flowPct}%，扬程上升 {headPct}%：泵沿其性能曲线向上移动，下游阀门关闭或节流',
  'health.explain.leakDownstream':
    '流量上升 {flowPct}%，扬程下降 {headPct}%（或保持不变）：下游泄漏或爆管，或有阀门被打开',
  'health.explain.flowBelowCurve': '流量比该扬程下的泵曲线低 {pct}%：阀门节流或过滤器堵塞',
  'health.explain.flowAndHeadLow':
    '流量和扬程同时低于正常值（{flowPct}% 和 {headPct}%）：泵的出力低于其性能曲线（过滤器堵塞、进口阀节流、进气或汽蚀、叶轮磨损）',
  'health.explain.dryRunning': '流量和功率同时下降（{flowPct}% 和 {powerPct}%）：泵在干转或已失去引水',
  'health.explain.powerAboveNormal':
    '同一流量下功率比正常高 {pct}%：泵或电机内部摩擦增大（轴承磨损、不对中、叶轮摩擦）',
  'health.explain.speedAboveCurve':
    '在该流量下，泵的转速比其自身曲线所需高 {pct}%：叶轮磨损、过滤器堵塞或泵内进气',
  'health.explain.headBelowCurve':
    '在当前转速和流量下，扬程比泵自身曲线低 {pct}%（控制回路把转速提高了 {speedPct}% 来弥补）：叶轮磨损、泵内进气或汽蚀',
  'health.explain.alongCurveLow':
    '流量骤降 {pct}%，而泵仍在自身性能曲线上运行：下游阀门关闭或节流（用水量的变化是缓慢的，不会在几秒内发生）',
  'health.explain.inletPressureLow':
    '同一流量下进口压力比正常低 {pct}%：吸入口过滤器堵塞、进口阀节流或水箱水位过低',
  'health.explain.vibrationHigh': '振动比自身健康水平高 {pct}%：轴承磨损、转子不平衡或不对中',
  'health.explain.temperatureHigh': '温度比自身健康水平高 {delta} K',
  'health.explain.sensorSuspect':
    '只有 {column} 变化，与之相关的读数没有变化：请检查该传感器（卡滞、漂移或跳变）',
  'health.explain.sensorStuck':
    '{column} 停在 {value} 不变已有 {minutes} 分钟，而与之相关的读数仍在变化：传感器或其信号卡滞',
  'health.explain.sensorSpike':
    '{column} 出现 {count} 次单点跳变，而与之相关的读数保持不变：传感器跳变、接线松动或受到干扰',
  'health.explain.readingHigh': '{column} 比自身健康水平高 {pct}%',
  'health.explain.readingLow': '{column} 比自身健康水平低 {pct}%',
};
