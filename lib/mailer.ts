import nodemailer from 'nodemailer';

/** One e-mail as the service sends it: plain text, Chinese, to one person. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** The same for every attempt at one delivery, so a receiving system can drop a repeat. */
  messageId: string;
}

/** Sends e-mail; answers the Message-ID the server accepted. */
export interface Mailer {
  send(mail: Mail): Promise<string>;
  close(): void;
}

/** An SMTP server's refusal that no retry will change (5xx: no such mailbox, message refused). */
export class PermanentMailError extends Error {
  override name = 'PermanentMailError';
}

/**
 * The mailer on `SMTP_URL` (`smtp://user:password@host:587`, `smtps://…` for implicit TLS),
 * sending as `from`. STARTTLS is used whenever the server offers it.
 */
export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url, { from });
  return {
    async send({ to, subject, text, messageId }) {
      try {
        const info = await transport.sendMail({ to, subject, text, messageId });
        return info.messageId;
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        if (code !== undefined && code >= 500) throw new PermanentMailError((err as Error).message);
        throw err;
      }
    },
    close: () => transport.close(),
  };
}
