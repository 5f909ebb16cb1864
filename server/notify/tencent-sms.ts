import { createHash, createHmac } from 'node:crypto';
import type { SmsGateway } from '../../core/notify/settings.ts';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();

export const TENCENT_SMS = { service: 'sms', action: 'SendSms', version: '2021-01-11' } as const;
const CONTENT_TYPE = 'application/json; charset=utf-8';

/** A phone as Tencent wants it, E.164: `+8613800000000`; a bare mainland mobile gets +86. Pure. */
export function e164(phone: string): string {
  if (phone.startsWith('+')) return phone;
  if (/^1\d{10}$/.test(phone)) return `+86${phone}`;
  return `+${phone}`;
}

/**
 * Tencent Cloud API v3 signature (TC3-HMAC-SHA256) of a POST with a JSON body, signing the
 * content-type and host headers: canonical request, string to sign over the credential scope
 * `date/service/tc3_request`, key derived from `TC3` + SecretKey by date, service and `tc3_request`.
 * Pure; `timestamp` in seconds. Tests verify requests with it the way the gateway does.
 */
export function tc3Signature(input: {
  secretKey: string;
  service: string;
  host: string;
  body: string;
  timestamp: number;
  contentType?: string;
}): { signature: string; scope: string; signedHeaders: string } {
  const date = new Date(input.timestamp * 1000).toISOString().slice(0, 10);
  const signedHeaders = 'content-type;host';
  const canonicalRequest = [
    'POST',
    '/',
    '',
    `content-type:${input.contentType ?? CONTENT_TYPE}\nhost:${input.host}\n`,
    signedHeaders,
    sha256(input.body),
  ].join('\n');
  const scope = `${date}/${input.service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(input.timestamp), scope, sha256(canonicalRequest)].join(
    '\n',
  );
  const key = hmac(hmac(hmac(`TC3${input.secretKey}`, date), input.service), 'tc3_request');
  return {
    signature: createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex'),
    scope,
    signedHeaders,
  };
}

/** The headers and JSON body of Tencent's SendSms for one phone, signed. Pure but for `now` passed in. */
export function tencentSendSmsRequest(
  gateway: SmsGateway,
  phone: string,
  templateId: string,
  params: readonly string[],
  now: number,
): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify({
    PhoneNumberSet: [e164(phone)],
    SmsSdkAppId: gateway.smsSdkAppId ?? '',
    SignName: gateway.signName,
    TemplateId: templateId,
    TemplateParamSet: params,
  });
  const host = new URL(gateway.url).host;
  const timestamp = Math.floor(now / 1000);
  const { signature, scope, signedHeaders } = tc3Signature({
    secretKey: gateway.accessKeySecret,
    service: TENCENT_SMS.service,
    host,
    body,
    timestamp,
  });
  return {
    headers: {
      'content-type': CONTENT_TYPE,
      host,
      'x-tc-action': TENCENT_SMS.action,
      'x-tc-version': TENCENT_SMS.version,
      'x-tc-timestamp': String(timestamp),
      'x-tc-region': gateway.regionId ?? 'ap-guangzhou',
      authorization: `TC3-HMAC-SHA256 Credential=${gateway.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    },
    body,
  };
}

/** What Tencent answers: HTTP 200 either way; an `Error`, or a status per number (`Code: "Ok"`). */
export interface TencentAnswer {
  Response?: {
    Error?: { Code?: string; Message?: string };
    SendStatusSet?: { Code?: string; Message?: string; PhoneNumber?: string }[];
    RequestId?: string;
  };
}

/** Undefined when the message was taken; else the code and whether trying again can help. Pure. */
export function tencentRefusal(
  answer: TencentAnswer,
): { code: string; message: string; retryable: boolean } | undefined {
  const error = answer.Response?.Error;
  if (error)
    return {
      code: error.Code ?? 'Error',
      message: error.Message ?? '',
      retryable: /^(InternalError|RequestLimitExceeded|ResourceUnavailable)/.test(error.Code ?? ''),
    };
  const status = answer.Response?.SendStatusSet?.[0];
  if (!status) return { code: 'NoStatus', message: 'no SendStatusSet in the answer', retryable: true };
  if (status.Code === 'Ok') return undefined;
  return {
    code: status.Code ?? 'Unknown',
    message: status.Message ?? '',
    retryable: /^(InternalError|LimitExceeded\.DeliveryFrequencyLimit)/.test(status.Code ?? ''),
  };
}
