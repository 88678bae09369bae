/**
 * Thư điện tử — optional e-mail through SMTP (nodemailer), configured by DATCHUAN_SMTP_URL
 * (`smtp://user:pass@host:587`, `smtps://…`) and DATCHUAN_SMTP_FROM. Without them nothing is sent:
 * reminders stay in the in-app inbox. Tests send to a local SMTP sink on 127.0.0.1.
 */
import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(msg: MailMessage): Promise<void>;
  close(): void;
}

export function createSmtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(msg) {
      await transport.sendMail({ from, to: msg.to, subject: msg.subject, text: msg.text });
    },
    close() {
      transport.close();
    },
  };
}
