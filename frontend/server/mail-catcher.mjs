// A local SMTP catcher for development and tests: an SMTP server (smtp-server) that keeps every
// mail it receives in memory, parsed (mailparser), and a small mailbox page over HTTP to read
// them. `npm run dev` (tools/dev.mjs) starts one when SMTP_URL is not set; the integration and
// browser tests start one in-process and read the mails through `messages()`/`waitForMail()`.
// Development only: it accepts any sender and recipient, with no authentication.
import http from 'node:http';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

const escapeHtml = (s) =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );

/**
 * Starts the catcher on 127.0.0.1.
 * @param {{ smtpPort?: number, httpPort?: number | null }} [options] ports (0: a free one);
 *   `httpPort: null` starts no mailbox page (tests read mails directly)
 */
export async function startMailCatcher({ smtpPort = 0, httpPort = null } = {}) {
  /** @type {import('./mail-catcher.d.mts').CaughtMail[]} */
  const mails = [];
  const waiters = new Set();

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const mail = {
            id: mails.length + 1,
            from: parsed.from?.text ?? '',
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            receivedAt: new Date(),
          };
          mails.push(mail);
          for (const waiter of waiters) waiter(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(smtpPort, '127.0.0.1', resolve);
  });
  const boundSmtpPort = smtp.server.address().port;

  let page;
  if (httpPort !== null) {
    page = http.createServer((req, res) => {
      const match = /^\/mail\/(\d+)$/.exec(req.url ?? '');
      const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
      if (match) {
        const mail = mails.find((m) => m.id === Number(match[1]));
        if (!mail) {
          res.writeHead(404, headers).end('no such mail');
          return;
        }
        // The mail's own HTML, sandboxed: no script runs, links open normally.
        res
          .writeHead(200, headers)
          .end(
            `<!doctype html><title>${escapeHtml(mail.subject)}</title><p><a href="/">All mails</a></p>` +
              `<h1>${escapeHtml(mail.subject)}</h1><p>To ${escapeHtml(mail.to.join(', '))} · ${mail.receivedAt.toISOString()}</p>` +
              `<iframe sandbox="allow-popups allow-top-navigation-by-user-activation" style="width:100%;height:60vh" srcdoc="${escapeHtml(mail.html)}"></iframe>` +
              `<h2>Text</h2><pre>${escapeHtml(mail.text)}</pre>`,
          );
        return;
      }
      const rows = [...mails]
        .reverse()
        .map(
          (m) =>
            `<li><a href="/mail/${m.id}">${escapeHtml(m.subject)}</a> to ${escapeHtml(m.to.join(', '))} · ${m.receivedAt.toISOString()}</li>`,
        )
        .join('');
      res
        .writeHead(200, headers)
        .end(
          `<!doctype html><title>Dev mailbox</title><h1>Dev mailbox (${mails.length})</h1><ul>${rows || '<li>No mail yet.</li>'}</ul>`,
        );
    });
    await new Promise((resolve, reject) => {
      page.once('error', reject);
      page.listen(httpPort, '127.0.0.1', resolve);
    });
  }

  return {
    smtpUrl: `smtp://127.0.0.1:${boundSmtpPort}`,
    webUrl: page ? `http://127.0.0.1:${page.address().port}` : undefined,
    messages: () => [...mails],
    waitForMail(predicate, { timeoutMs = 60_000 } = {}) {
      const found = mails.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = (mail) => {
          if (!predicate(mail)) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          resolve(mail);
        };
        // A generous backstop only: a missing mail fails the test instead of hanging it.
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching mail within ${timeoutMs / 1000} s`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    async stop() {
      await new Promise((resolve) => smtp.close(resolve));
      if (page) await new Promise((resolve) => page.close(() => resolve()));
    },
  };
}
