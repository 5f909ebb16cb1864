import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '../../server/notify/webhook-signature.ts';

/**
 * Local receivers that check a request the way the far side documents it: WeCom's and DingTalk's
 * group robots, Aliyun's SendSms, and a webhook consumer that verifies the HMAC signature.
 */
export interface Receiver<T> {
  url: string;
  /** Requests accepted, as the checks read them. */
  received: T[];
  /** Why requests were refused. */
  refused: string[];
  close(): Promise<void>;
}

type Answer = { status: number; body: unknown };

async function listen<T>(
  path: string,
  check: (req: IncomingMessage, url: URL, body: string) => { ok: T } | { refuse: string; answer: Answer },
  accepted: () => Answer,
): Promise<Receiver<T>> {
  const received: T[] = [];
  const refused: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = Buffer.concat(chunks).toString('utf8');
      let answer: Answer;
      if (url.pathname !== path || req.method !== 'POST') {
        refused.push(`${req.method} ${url.pathname}`);
        answer = { status: 404, body: {} };
      } else {
        const result = check(req, url, body);
        if ('ok' in result) {
          received.push(result.ok);
          answer = accepted();
        } else {
          refused.push(result.refuse);
          answer = result.answer;
        }
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const parse = (body: string): Record<string, unknown> | undefined => {
  try {
    const value = JSON.parse(body) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

export interface WecomText {
  content: string;
  mentioned_mobile_list?: string[];
}

/** WeCom's group robot: POST /cgi-bin/webhook/send?key=KEY, `text` (content <= 2048 bytes) or `markdown` (<= 4096). */
export interface WecomMessage {
  msgtype: string;
  text?: WecomText;
  markdown?: { content: string };
}

export function startWecomReceiver(key: string): Promise<Receiver<WecomMessage>> {
  const bad = (errcode: number, errmsg: string) => ({
    refuse: errmsg,
    answer: { status: 200, body: { errcode, errmsg } },
  });
  return listen<WecomMessage>(
    '/cgi-bin/webhook/send',
    (req, url, body) => {
      if (url.searchParams.get('key') !== key) return bad(93000, 'invalid webhook url');
      if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
        return bad(40008, 'content-type');
      const json = parse(body);
      if (!json) return bad(40001, 'not JSON');
      if (json.msgtype === 'text') {
        const text = json.text as WecomText | undefined;
        if (typeof text?.content !== 'string' || Buffer.byteLength(text.content) > 2048)
          return bad(44004, 'text content empty or over 2048 bytes');
        const mentions = text.mentioned_mobile_list;
        if (
          mentions !== undefined &&
          !(Array.isArray(mentions) && mentions.every((m) => typeof m === 'string'))
        )
          return bad(40058, 'mentioned_mobile_list must be a list of strings');
        return { ok: { msgtype: 'text', text } };
      }
      if (json.msgtype === 'markdown') {
        const markdown = json.markdown as { content?: unknown } | undefined;
        if (typeof markdown?.content !== 'string' || Buffer.byteLength(markdown.content) > 4096)
          return bad(44004, 'markdown content empty or over 4096 bytes');
        return { ok: { msgtype: 'markdown', markdown: { content: markdown.content } } };
      }
      return bad(40008, 'invalid message type');
    },
    () => ({ status: 200, body: { errcode: 0, errmsg: 'ok' } }),
  );
}

/** DingTalk's group robot with signing: access_token, timestamp within an hour of `now`, and its sign. */
export function startDingtalkReceiver(
  token: string,
  secret: string,
  now: () => number,
): Promise<Receiver<{ markdown: { title: string; text: string }; at: { atMobiles: string[] } }>> {
  const bad = (errcode: number, errmsg: string) => ({
    refuse: errmsg,
    answer: { status: 200, body: { errcode, errmsg } },
  });
  return listen(
    '/robot/send',
    (_req, url, body) => {
      if (url.searchParams.get('access_token') !== token) return bad(300001, 'token is not exist');
      const timestamp = Number(url.searchParams.get('timestamp'));
      if (!Number.isFinite(timestamp) || Math.abs(now() - timestamp) > 3_600_000)
        return bad(310000, 'timestamp');
      const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
      if (url.searchParams.get('sign') !== sign) return bad(310000, 'sign not match');
      const json = parse(body);
      const markdown = json?.markdown as { title?: unknown; text?: unknown } | undefined;
      if (
        json?.msgtype !== 'markdown' ||
        typeof markdown?.title !== 'string' ||
        typeof markdown.text !== 'string'
      )
        return bad(40035, 'markdown needs title and text');
      const at = (json.at ?? { atMobiles: [] }) as { atMobiles: string[] };
      return { ok: { markdown: { title: markdown.title, text: markdown.text }, at } };
    },
    () => ({ status: 200, body: { errcode: 0, errmsg: 'ok' } }),
  );
}

const percent = (text: string) =>
  encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%7E/g, '~');

/** Aliyun's SendSms (RPC): form fields, Action, Version, and the HMAC-SHA1 signature recomputed here. */
export function startAliyunSmsReceiver(
  accessKeyId: string,
  accessKeySecret: string,
): Promise<Receiver<{ phone: string; signName: string; template: string; params: Record<string, string> }>> {
  const bad = (Code: string) => ({ refuse: Code, answer: { status: 400, body: { Code, Message: Code } } });
  return listen(
    '/',
    (req, _url, body) => {
      if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
        return bad('InvalidContentType');
      const fields = Object.fromEntries(new URLSearchParams(body));
      if (fields.Action !== 'SendSms' || fields.Version !== '2017-05-25') return bad('InvalidAction');
      if (fields.AccessKeyId !== accessKeyId) return bad('InvalidAccessKeyId.NotFound');
      const { Signature, ...signed } = fields;
      const canonical = Object.keys(signed)
        .sort()
        .map((k) => `${percent(k)}=${percent(signed[k] as string)}`)
        .join('&');
      const expected = createHmac('sha1', `${accessKeySecret}&`)
        .update(`POST&${percent('/')}&${percent(canonical)}`)
        .digest('base64');
      if (Signature !== expected) return bad('SignatureDoesNotMatch');
      if (!/^\+?\d{6,20}$/.test(fields.PhoneNumbers ?? '')) return bad('isv.MOBILE_NUMBER_ILLEGAL');
      let params: Record<string, string>;
      try {
        params = JSON.parse(fields.TemplateParam ?? '{}') as Record<string, string>;
      } catch {
        return bad('isv.INVALID_JSON_PARAM');
      }
      if (Object.values(params).some((v) => typeof v !== 'string' || v.length > 35))
        return bad('isv.PARAM_LENGTH_LIMIT');
      return {
        ok: {
          phone: fields.PhoneNumbers as string,
          signName: fields.SignName ?? '',
          template: fields.TemplateCode ?? '',
          params,
        },
      };
    },
    () => ({
      status: 200,
      body: { Code: 'OK', Message: 'OK', BizId: '900619746936498440^0', RequestId: 'test' },
    }),
  );
}

/** A webhook consumer: verifies the signature; answers 503 to the first `failFirst` good requests. */
export function startWebhookReceiver(
  secret: string,
  failFirst = 0,
): Promise<Receiver<Record<string, unknown>> & { attempts: () => number }> {
  let attempts = 0;
  let failuresLeft = failFirst;
  return listen<Record<string, unknown>>(
    '/hook',
    (req, _url, body) => {
      attempts += 1;
      const signature = String(req.headers['x-aftercare-signature'] ?? '');
      const timestamp = Number(req.headers['x-aftercare-timestamp']);
      if (!verifyWebhook(secret, timestamp, body, signature))
        return { refuse: 'bad signature', answer: { status: 401, body: {} } };
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        return { refuse: 'unavailable', answer: { status: 503, body: {} } };
      }
      return { ok: parse(body) ?? {} };
    },
    () => ({ status: 200, body: { ok: true } }),
  ).then((receiver) => ({ ...receiver, attempts: () => attempts }));
}

export interface TencentSms {
  phones: string[];
  appId: string;
  signName: string;
  template: string;
  params: string[];
  region: string;
}

/**
 * Tencent Cloud's SendSms (API v3): the X-TC-* headers, a timestamp within 5 minutes of `now`, and
 * the TC3-HMAC-SHA256 signature recomputed here from the request as received (its Host and
 * Content-Type headers and body hash), as the gateway checks it. Errors come back as Tencent sends
 * them: HTTP 200 with `Response.Error`.
 */
export function startTencentSmsReceiver(
  secretId: string,
  secretKey: string,
  appId: string,
  now: () => number,
): Promise<Receiver<TencentSms>> {
  const bad = (Code: string) => ({
    refuse: Code,
    answer: { status: 200, body: { Response: { Error: { Code, Message: Code }, RequestId: 'test' } } },
  });
  const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
  const hmac = (key: Buffer | string, text: string) =>
    createHmac('sha256', key).update(text, 'utf8').digest();
  return listen<TencentSms>(
    '/',
    (req, _url, body) => {
      const header = (name: string) => String(req.headers[name] ?? '');
      if (header('x-tc-action') !== 'SendSms') return bad('InvalidAction');
      if (header('x-tc-version') !== '2021-01-11') return bad('NoSuchVersion');
      if (!header('x-tc-region')) return bad('MissingParameter');
      const timestamp = Number(header('x-tc-timestamp'));
      if (!Number.isInteger(timestamp) || Math.abs(now() / 1000 - timestamp) > 300)
        return bad('AuthFailure.SignatureExpire');
      const auth =
        /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/sms\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/.exec(
          header('authorization'),
        );
      if (!auth) return bad('AuthFailure.InvalidAuthorization');
      const [, id, date, signedHeaders, signature] = auth;
      if (id !== secretId) return bad('AuthFailure.SecretIdNotFound');
      if (date !== new Date(timestamp * 1000).toISOString().slice(0, 10))
        return bad('AuthFailure.SignatureFailure');
      const names = (signedHeaders ?? '').split(';');
      if (!names.includes('content-type') || !names.includes('host'))
        return bad('AuthFailure.SignatureFailure');
      const canonicalHeaders = names.map((name) => `${name}:${header(name).toLowerCase()}\n`).join('');
      const canonical = ['POST', '/', '', canonicalHeaders, signedHeaders, sha256(body)].join('\n');
      const toSign = [
        'TC3-HMAC-SHA256',
        String(timestamp),
        `${date}/sms/tc3_request`,
        sha256(canonical),
      ].join('\n');
      const key = hmac(hmac(hmac(`TC3${secretKey}`, date ?? ''), 'sms'), 'tc3_request');
      if (createHmac('sha256', key).update(toSign, 'utf8').digest('hex') !== signature)
        return bad('AuthFailure.SignatureFailure');
      const json = parse(body);
      if (!json) return bad('InvalidParameter');
      const phones = json.PhoneNumberSet;
      if (
        !Array.isArray(phones) ||
        phones.length === 0 ||
        !phones.every((p) => /^\+\d{6,20}$/.test(String(p)))
      )
        return bad('InvalidParameterValue.IncorrectPhoneNumber');
      if (json.SmsSdkAppId !== appId) return bad('InvalidParameterValue.SdkAppIdNotExist');
      if (typeof json.TemplateId !== 'string' || !/^\d+$/.test(json.TemplateId))
        return bad('InvalidParameterValue.TemplateParameterFormatError');
      const params = json.TemplateParamSet;
      if (!Array.isArray(params) || !params.every((p) => typeof p === 'string'))
        return bad('InvalidParameterValue.TemplateParameterFormatError');
      return {
        ok: {
          phones: phones as string[],
          appId,
          signName: String(json.SignName ?? ''),
          template: json.TemplateId,
          params: params as string[],
          region: header('x-tc-region'),
        },
      };
    },
    () => ({
      status: 200,
      body: {
        Response: {
          SendStatusSet: [
            { SerialNo: '2028:1', PhoneNumber: '+86', Fee: 1, Code: 'Ok', Message: 'send success' },
          ],
          RequestId: 'test',
        },
      },
    }),
  );
}
