export interface CaughtMail {
  id: number;
  from: string;
  /** Envelope recipients, lower-cased. */
  to: string[];
  subject: string;
  text: string;
  html: string;
  receivedAt: Date;
}

export interface MailCatcher {
  /** `smtp://127.0.0.1:<port>`: the SMTP_URL to give the app. */
  smtpUrl: string;
  /** The mailbox page, when started with an httpPort. */
  webUrl: string | undefined;
  messages(): CaughtMail[];
  /** The first mail (caught already or still to come) matching `predicate`. */
  waitForMail(
    predicate: (mail: CaughtMail) => boolean,
    options?: { timeoutMs?: number },
  ): Promise<CaughtMail>;
  stop(): Promise<void>;
}

export declare function startMailCatcher(options?: {
  smtpPort?: number;
  httpPort?: number | null;
}): Promise<MailCatcher>;
