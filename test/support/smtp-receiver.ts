import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { stopChild } from './child-process.ts';

export interface ReceivedMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  /** Attached files, their bytes as base64. */
  attachments: { filename: string; contentType: string; size: number; base64: string }[];
}

export interface SmtpReceiver {
  port: number;
  mails: ReceivedMail[];
  /** Resolves once `count` mails arrived (real time, at most `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  stop(): Promise<void>;
}

const ROOT = join(import.meta.dirname, '..', '..');

/** Starts smtp-server in a child process on a free loopback port; its mails are parsed by mailparser. */
export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'run-ts.js'), join(ROOT, 'test', 'support', 'smtp-receiver-main.ts')],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const mails: ReceivedMail[] = [];
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000);
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`SMTP receiver did not start: ${errors}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`SMTP receiver exited (${code}): ${errors}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const message = JSON.parse(line) as { listening?: number; mail?: ReceivedMail };
      if (message.listening) {
        clearTimeout(timer);
        resolve(message.listening);
      }
      if (message.mail) mails.push(message.mail);
    });
  });
  return {
    port,
    mails,
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (mails.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return mails;
    },
    stop: () => stopChild(child),
  };
}
