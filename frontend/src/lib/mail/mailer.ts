import 'server-only';
import nodemailer, { type Transporter } from 'nodemailer';
import { serverEnv } from '../env';

/** One mail: a plain-text part and a simple HTML part, always both. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

const globalForMail = globalThis as unknown as { __authbridgeMailer?: Transporter };

function transporter(smtpUrl: string): Transporter {
  // One pooled transport per process; nodemailer reads host, port, TLS and credentials
  // from the URL (smtps:// = TLS from the start, smtp:// = STARTTLS when offered).
  globalForMail.__authbridgeMailer ??= nodemailer.createTransport(smtpUrl, {
    pool: true,
    maxConnections: 2,
    connectionTimeout: 10_000,
  } as never);
  return globalForMail.__authbridgeMailer;
}

/**
 * Sends `message` from MAIL_FROM over SMTP_URL. The one way the app sends mail: Better
 * Auth's reset and verification callbacks go through here.
 *
 * Without SMTP_URL (development or tests only: the env schema refuses it in production when
 * mail is on) the mail is NOT sent and one line says so, without its body: the body holds a
 * single-use link that must not land in a log.
 *
 * @example
 * await sendMail({ to: user.email, ...resetPasswordMail(url) });
 */
export async function sendMail(message: MailMessage): Promise<void> {
  const env = serverEnv();
  if (!env.mail.smtpUrl) {
    console.warn(
      `[mail] not sent ("${message.subject}"): no SMTP_URL. \`npm run dev\` starts a local mail catcher.`,
    );
    return;
  }
  await transporter(env.mail.smtpUrl).sendMail({ from: env.mail.from, ...message });
}
