import { createHmac, randomUUID } from 'node:crypto';
import { renderParams } from '../../core/notify/messages.ts';
import { type SmsGateway, TENCENT_TEMPLATE_PARAMS } from '../../core/notify/settings.ts';
import { type Channel, DeliveryError, type OutgoingMessage, redact } from './channel.ts';
import { type TencentAnswer, tencentRefusal, tencentSendSmsRequest } from './tencent-sms.ts';

/** RFC 3986 encoding as Aliyun's RPC signature wants it (`*` and `~` too). */
const percent = (text: string) =>
  encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%7E/g, '~');

/**
 * Aliyun SendSms (RPC, signature version 1.0): the sorted query signed with HMAC-SHA1 under
 * `AccessKeySecret&`. Returns the form fields to POST. Pure but for nonce and time passed in.
 */
export function aliyunSendSmsForm(
  gateway: SmsGateway,
  phone: string,
  templateCode: string,
  params: Record<string, string>,
  now: number,
  nonce: string,
): Record<string, string> {
  const fields: Record<string, string> = {
    AccessKeyId: gateway.accessKeyId,
    Action: 'SendSms',
    Format: 'JSON',
    PhoneNumbers: phone,
    RegionId: gateway.regionId ?? 'cn-hangzhou',
    SignName: gateway.signName,
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: nonce,
    SignatureVersion: '1.0',
    TemplateCode: templateCode,
    TemplateParam: JSON.stringify(params),
    Timestamp: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    Version: '2017-05-25',
  };
  const canonical = Object.keys(fields)
    .sort()
    .map((key) => `${percent(key)}=${percent(fields[key] as string)}`)
    .join('&');
  const stringToSign = `POST&${percent('/')}&${percent(canonical)}`;
  const signature = createHmac('sha1', `${gateway.accessKeySecret}&`).update(stringToSign).digest('base64');
  return { ...fields, Signature: signature };
}

/** A template variable's value: Aliyun takes at most 35 characters per variable (cut the same for Tencent). */
const variable = (value: string | number) => String(value).slice(0, 35);

/** SMS through a gateway: the template of the message's kind with its parameters (never free text). */
export class SmsChannel implements Channel {
  readonly name = 'sms' as const;

  constructor(
    private readonly gateway: SmsGateway,
    private readonly clock: () => number,
  ) {}

  async send(message: OutgoingMessage): Promise<void> {
    const template = this.gateway.templates[message.kind];
    if (!template) throw new DeliveryError(`no SMS template for ${message.kind}`, false);
    const params = Object.fromEntries(
      Object.entries(renderParams(message.params, message.language, message.timeZone)).map(([key, value]) => [
        key,
        variable(value),
      ]),
    );
    if (this.gateway.style === 'tencent')
      await this.sendTencent(message.address, template, message.kind, params);
    else await this.sendAliyun(message.address, template, params);
  }

  private async sendAliyun(phone: string, template: string, params: Record<string, string>): Promise<void> {
    const form = aliyunSendSmsForm(this.gateway, phone, template, params, this.clock(), randomUUID());
    const response = await this.post(
      { 'content-type': 'application/x-www-form-urlencoded' },
      new URLSearchParams(form).toString(),
    );
    const answer = (await response.json().catch(() => ({}))) as { Code?: string; Message?: string };
    if (!response.ok || answer.Code !== 'OK')
      throw new DeliveryError(
        `SMS gateway ${redact(this.gateway.url)}: ${response.status} ${answer.Code ?? ''} ${answer.Message ?? ''}`,
        response.status >= 500 || answer.Code === 'isv.BUSINESS_LIMIT_CONTROL',
      );
  }

  private async sendTencent(
    phone: string,
    template: string,
    kind: string,
    params: Record<string, string>,
  ): Promise<void> {
    const names = this.gateway.templateParams[kind] ?? TENCENT_TEMPLATE_PARAMS[kind] ?? [];
    const request = tencentSendSmsRequest(
      this.gateway,
      phone,
      template,
      names.map((name) => params[name] ?? ''),
      this.clock(),
    );
    const { host: _host, ...headers } = request.headers;
    const response = await this.post(headers, request.body);
    const answer = (await response.json().catch(() => ({}))) as TencentAnswer;
    const refused = response.ok
      ? tencentRefusal(answer)
      : { code: `HTTP ${response.status}`, message: '', retryable: response.status >= 500 };
    if (refused)
      throw new DeliveryError(
        `SMS gateway ${redact(this.gateway.url)}: ${refused.code} ${refused.message}`,
        refused.retryable,
      );
  }

  private async post(headers: Record<string, string>, body: string): Promise<Response> {
    try {
      return await fetch(this.gateway.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new DeliveryError(`SMS gateway ${redact(this.gateway.url)}: ${(error as Error).message}`, true);
    }
  }
}
