/** The customer portal's server sentences (issue 18), merged into messages-en.ts and messages-zh-cn.ts. */
export const PORTAL_MESSAGES_EN = {
  'error.photoEmpty': 'the photo is empty',
  'error.photoType': 'a photo must be a JPEG, PNG or WebP image (by its content, not its name)',
  'error.photoTooLarge': 'a photo may be at most {max} MB',
  'error.photoUnknown': 'photo {id} is not one of your uploaded photos waiting for a request',
  'error.noStationHere': 'no station {station} at site {site}',
  'error.surveyNotClosed': 'ticket {id} is not closed yet: the survey opens when it is',
  'error.feedbackNotResolved': 'ticket {id} is not resolved yet: feed the result back after the repair',
  'error.feedbackDone': 'ticket {id} already has its result feedback',
  'event.webRequest': 'Filed online by {account}; contact {name}, {phone}; {photos} photo(s)',
  'event.survey': 'Customer satisfaction {score}/5',
  'event.resultFeedback': 'Result fed back to the customer: {note}',
} as const;

export const PORTAL_MESSAGES_ZH_CN: Record<keyof typeof PORTAL_MESSAGES_EN, string> = {
  'error.photoEmpty': '照片是空的',
  'error.photoType': '照片须为 JPEG、PNG 或 WebP 图片（按文件内容判断，而非文件名）',
  'error.photoTooLarge': '每张照片不能超过 {max} MB',
  'error.photoUnknown': '照片 {id} 不是您已上传、待提交的照片',
  'error.noStationHere': '站点 {site} 下没有泵站 {station}',
  'error.surveyNotClosed': '工单 {id} 尚未关闭：关闭后才能填写满意度调查',
  'error.feedbackNotResolved': '工单 {id} 尚未解决：修复后再进行结果反馈',
  'error.feedbackDone': '工单 {id} 已完成结果反馈',
  'event.webRequest': '{account} 在线提交；联系人 {name}，电话 {phone}；照片 {photos} 张',
  'event.survey': '客户满意度 {score}/5',
  'event.resultFeedback': '已向客户反馈结果：{note}',
};
