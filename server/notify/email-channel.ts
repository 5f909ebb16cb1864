import nodemailer, { type Transporter } from 'nodemailer';
import type { SmtpSettings } from '../../core/notify/settings.ts';
import { type Channel, DeliveryError, type OutgoingMessage } from './channel.ts';

/** E-mail over SMTP through nodemailer (which speaks STARTTLS, AUTH and pooling). */
export class EmailChannel implements Channel {
  readonly name = 'email' as const;
  private readonly transport: Transporter;

  constructor(private readonly settings: SmtpSettings) {
    this.transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? '' } } : {}),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
  }

  async send(message: OutgoingMessage): Promise<void> {
    try {
      await this.transport.sendMail({
        from: this.settings.from,
        to: message.address,
        subject: message.subject,
        text: message.body,
        ...(message.attachments ? { attachments: message.attachments } : {}),
      });
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      // 5xx SMTP replies are permanent (a refused mailbox); connection errors and 4xx may pass later.
      throw new DeliveryError(
        `SMTP ${this.settings.host}:${this.settings.port}: ${(error as Error).message}`,
        !(code && code >= 500),
      );
    }
  }

  close(): void {
    this.transport.close();
  }
}
