/** The quality loop's server sentences, merged into messages-en.ts and messages-zh-cn.ts. */
export const QUALITY_MESSAGES_EN = {
  'error.closeNeeds.rootCause': 'fault ticket {id} needs its root cause before it is resolved or closed',
  'error.closeNeeds.responsibility':
    'fault ticket {id} needs its responsibility (maker, installer, customer, wear or outside cause) before it is resolved or closed',
  'error.closeNeeds.correctiveAction':
    'fault ticket {id} needs its corrective action before it is resolved or closed',
  'error.closeNeeds.preventiveAction':
    'fault ticket {id} needs its preventive action before it is resolved or closed',
  'error.noQualityAction': 'no quality action {id}',
  'error.qualityMove':
    'a quality action moves one step at a time: open, in progress, verified closed (or back one step)',
  'error.noNcr': 'no non-conforming product record {id}',
  'error.ncrNoTicket': 'there is no ticket {id} to link',
  'error.ncrNoAction': 'there is no quality action {id} to link',
  'error.ncrNeedsLink': 'link the non-conforming product record to a ticket or quality action of your sites',
} as const;

export const QUALITY_MESSAGES_ZH_CN: Record<keyof typeof QUALITY_MESSAGES_EN, string> = {
  'error.closeNeeds.rootCause': '故障工单 {id} 须先填写根本原因，才能解决或关闭',
  'error.closeNeeds.responsibility':
    '故障工单 {id} 须先判定责任归属（厂家、安装方、用户、正常磨损或外部原因），才能解决或关闭',
  'error.closeNeeds.correctiveAction': '故障工单 {id} 须先填写纠正措施，才能解决或关闭',
  'error.closeNeeds.preventiveAction': '故障工单 {id} 须先填写预防措施，才能解决或关闭',
  'error.noQualityAction': '没有编号为 {id} 的质量整改项',
  'error.qualityMove': '质量整改项须逐步推进：待处理、处理中、验证关闭（或退回上一步）',
  'error.noNcr': '没有编号为 {id} 的不合格品记录',
  'error.ncrNoTicket': '要关联的工单 {id} 不存在',
  'error.ncrNoAction': '要关联的质量整改项 {id} 不存在',
  'error.ncrNeedsLink': '请将不合格品记录关联到您所辖站点的工单或质量整改项',
};
