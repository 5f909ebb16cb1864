/** The customer's timeline of a ticket: the quote, its confirmation and the service record. */
const portalQuoteEn = {
  'portal.event.quote': 'Quote issued',
  'portal.event.quote_confirmed': 'Fee confirmed',
  'portal.event.service_record': 'Service record signed',
} as const;

const portalQuoteZhCN: Record<keyof typeof portalQuoteEn, string> = {
  'portal.event.quote': '已出具报价',
  'portal.event.quote_confirmed': '费用已确认',
  'portal.event.service_record': '已签署售后服务单',
};

export const portalQuoteText = { en: portalQuoteEn, 'zh-CN': portalQuoteZhCN };
