import { startMailCatcher, type CaughtMail, type MailCatcher } from '../../server/mail-catcher.mjs';
import { rememberSecret } from './secrets';

export type { CaughtMail, MailCatcher };

/** The same SMTP catcher `npm run dev` starts, in-process: tests read the mails it caught. */
export function startTestMailCatcher(): Promise<MailCatcher> {
  return startMailCatcher({ smtpPort: 0, httpPort: null });
}

/** The first link to `pathname` in a mail's text part (its token remembered as a secret). */
export function linkIn(mail: CaughtMail, pathname: string): URL {
  const link = mail.text
    .split(/\s+/)
    .map((word) => {
      try {
        return new URL(word);
      } catch {
        return undefined;
      }
    })
    .find((url) => url?.pathname === pathname);
  if (!link) throw new Error(`no ${pathname} link in the mail "${mail.subject}":\n${mail.text}`);
  rememberSecret(link.searchParams.get('token'));
  return link;
}

/** The mail with `subject` sent to `to`, waiting for it to arrive (backstop timeout only). */
export function mailTo(catcher: MailCatcher, to: string, subject: RegExp): Promise<CaughtMail> {
  return catcher.waitForMail(
    (mail) => mail.to.includes(to.toLowerCase()) && subject.test(mail.subject),
  );
}
