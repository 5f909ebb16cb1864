import { createHmac } from 'node:crypto';
import type { Robot } from '../../core/notify/settings.ts';
import { type Channel, cutBytes, DeliveryError, type OutgoingMessage, postJson } from './channel.ts';

/**
 * WeCom (企业微信) group robot: `text` with `mentioned_mobile_list` (a mention by phone needs text,
 * markdown mentions only by user id); content at most 2048 bytes.
 */
export function wecomBody(message: OutgoingMessage): object {
  return {
    msgtype: 'text',
    text: {
      content: cutBytes(`${message.subject}\n${message.body}`, 2048),
      ...(message.mention ? { mentioned_mobile_list: [message.mention] } : {}),
    },
  };
}

/** DingTalk (钉钉) group robot: `markdown`, the mention as `@phone` in the text and in `at.atMobiles`. */
export function dingtalkBody(message: OutgoingMessage): object {
  const mention = message.mention ? `\n\n@${message.mention}` : '';
  return {
    msgtype: 'markdown',
    markdown: { title: message.subject, text: `#### ${message.subject}\n\n${message.body}${mention}` },
    at: { atMobiles: message.mention ? [message.mention] : [], isAtAll: false },
  };
}

/** DingTalk's signed URL: timestamp (ms) and sign = base64(HMAC-SHA256(secret, `${timestamp}\n${secret}`)). */
export function dingtalkSignedUrl(url: string, secret: string | undefined, now: number): string {
  if (!secret) return url;
  const sign = createHmac('sha256', secret).update(`${now}\n${secret}`).digest('base64');
  const signed = new URL(url);
  signed.searchParams.set('timestamp', String(now));
  signed.searchParams.set('sign', sign);
  return signed.toString();
}

/** Both robots answer 200 with `{errcode, errmsg}`; errcode 0 is success. */
export class RobotChannel implements Channel {
  readonly name = 'robot' as const;

  constructor(
    private readonly robots: readonly Robot[],
    private readonly clock: () => number,
  ) {}

  async send(message: OutgoingMessage): Promise<void> {
    const robot = this.robots.find((r) => r.id === message.address);
    if (!robot) throw new DeliveryError(`no robot ${message.address} is configured`, false);
    const url =
      robot.kind === 'dingtalk' ? dingtalkSignedUrl(robot.url, robot.secret, this.clock()) : robot.url;
    const body = robot.kind === 'dingtalk' ? dingtalkBody(message) : wecomBody(message);
    const { json } = await postJson(url, body);
    const answer = (json ?? {}) as { errcode?: number; errmsg?: string };
    if (answer.errcode !== 0) {
      // 45009 (WeCom) and 130101 (DingTalk): the robot's 20 messages a minute are used up.
      const limited = answer.errcode === 45009 || answer.errcode === 130101;
      throw new DeliveryError(
        `${robot.kind} robot ${robot.id}: ${answer.errcode} ${answer.errmsg ?? ''}`,
        limited,
      );
    }
  }
}
