/** Server sentences of parts, quotes and the service record (issue 19), merged into messages-en.ts and messages-zh-cn.ts. */
export const SERVICE_RECORD_MESSAGES_EN = {
  'error.noPart': 'no part {part} in the catalogue',
  'error.noDepot': 'no depot {depot}',
  'error.stockShort': 'depot {depot} holds {held} of part {part}, {asked} asked',
  'error.noQuote': 'ticket {id} has no quote yet',
  'error.quoteState': 'ticket {id} is {state}: a quote is issued for a dispatched or on-site visit',
  'error.quoteConfirmed': "ticket {id}'s quote is already confirmed",
  'error.serviceRecordState': 'ticket {id} is {state}: the service record is filled in on site',
  'error.serviceRecordDone': 'ticket {id} already has its service record',
  'error.noServiceRecord': 'ticket {id} has no service record yet',
  'error.signatureNotPng': "the customer's signature must be a PNG image",
  'error.signatureTooLarge':
    "the customer's signature is {width}×{height} px; at most {maxWidth}×{maxHeight}",
  'error.pdfFontMissing': 'the server has no CJK font for the PDF ({font}): install fonts-wqy-zenhei',
  'event.quoteIssued': 'Quote issued: {total} CNY',
  'event.quoteConfirmedPortal': 'Fee confirmed in the portal by {name}',
  'event.quoteConfirmedPaper': 'Fee confirmed on paper on site by {name}',
  'event.serviceRecord': 'Service record signed by {name}; charge {total} CNY',
} as const;

export const SERVICE_RECORD_MESSAGES_ZH_CN: Record<keyof typeof SERVICE_RECORD_MESSAGES_EN, string> = {
  'error.noPart': '配件目录中没有配件 {part}',
  'error.noDepot': '没有仓库 {depot}',
  'error.stockShort': '仓库 {depot} 的配件 {part} 只有 {held} 件，需要 {asked} 件',
  'error.noQuote': '工单 {id} 还没有报价',
  'error.quoteState': '工单 {id} 当前为{state}：只有已派工或已到场的工单才能报价',
  'error.quoteConfirmed': '工单 {id} 的报价已经确认过了',
  'error.serviceRecordState': '工单 {id} 当前为{state}：售后服务单须在现场填写',
  'error.serviceRecordDone': '工单 {id} 已经有售后服务单了',
  'error.noServiceRecord': '工单 {id} 还没有售后服务单',
  'error.signatureNotPng': '客户签名必须是 PNG 图片',
  'error.signatureTooLarge': '客户签名图片为 {width}×{height} 像素，最大允许 {maxWidth}×{maxHeight}',
  'error.pdfFontMissing': '服务器缺少生成 PDF 所需的中文字体（{font}）：请安装 fonts-wqy-zenhei',
  'event.quoteIssued': '已出具报价：{total} 元',
  'event.quoteConfirmedPortal': '{name} 已在客户门户确认费用',
  'event.quoteConfirmedPaper': '{name} 已在现场书面确认费用',
  'event.serviceRecord': '{name} 已签署售后服务单；费用 {total} 元',
};
