import type { MailMessage } from './mailer';

/**
 * The mails the app sends, each a plain-text part and a simple HTML part with the same words.
 * Pure functions of their inputs, so a unit test reads them without SMTP.
 */

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function mail(
  subject: string,
  lines: { intro: string; action: string; url: string; outro: string },
): Omit<MailMessage, 'to'> {
  const text = `${lines.intro}\n\n${lines.action}:\n${lines.url}\n\n${lines.outro}\n`;
  const html =
    `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">` +
    `<p>${escapeHtml(lines.intro)}</p>` +
    `<p><a href="${escapeHtml(lines.url)}">${escapeHtml(lines.action)}</a></p>` +
    `<p style="color:#555">${escapeHtml(lines.outro)}</p>` +
    `</body></html>`;
  return { subject, text, html };
}

/** Minutes as words for a mail ("30 minutes", "1 hour"). */
export function lifetimeWords(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes % 60 === 0) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** The password reset mail: a single-use link, valid for `expiresInSeconds`. */
export function resetPasswordMail(url: string, expiresInSeconds: number) {
  return mail('Reset your authbridge password', {
    intro: 'Someone (hopefully you) asked to reset the password of your authbridge account.',
    action: 'Choose a new password',
    url,
    outro: `The link works once, for ${lifetimeWords(expiresInSeconds)}. If you did not ask for it, ignore this mail: your password stays as it is.`,
  });
}

/** The email verification mail. */
export function verifyEmailMail(url: string, expiresInSeconds: number) {
  return mail('Confirm your email address for authbridge', {
    intro: 'Please confirm that this is your email address, so you can sign in to authbridge.',
    action: 'Confirm my email address',
    url,
    outro: `The link works for ${lifetimeWords(expiresInSeconds)}. If you did not create an account, ignore this mail.`,
  });
}
