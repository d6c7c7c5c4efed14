/**
 * How mail leaves DPA Desk: over SMTP when SMTP_URL is set, otherwise as .eml files in the data
 * folder (demo and development). The demo mailbox page does not read these files (they hold every
 * workspace's mail and cannot be scoped): it shows the workspace's rows of the outbox table.
 */
import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer";
import { mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Config } from "~/config.server";
import { newId } from "~/services/ids.server";

export type MailAttachment = { filename: string; contentType: string; path: string };

export type OutgoingMail = {
  from: string;
  to: string[];
  subject: string;
  text: string;
  attachments: MailAttachment[];
};

export type SendResult = {
  /** the Message-ID header of the sent message */
  messageId: string;
  /** recipients the server refused while accepting the others (SMTP only) */
  rejected: string[];
};

export interface MailTransport {
  send(message: OutgoingMail): Promise<SendResult>;
}

function toNodemailerMessage(message: OutgoingMail): Mail.Options {
  return {
    from: message.from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    attachments: message.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, path: a.path })),
  };
}

function addressText(address: string | Mail.Address): string {
  return typeof address === "string" ? address : address.address;
}

/**
 * Timeouts that bound one delivery, so a send ends well within the outbox lease. A value given in
 * the SMTP URL's query string (e.g. ?socketTimeout=120000) wins.
 */
const SMTP_TIMEOUT_DEFAULTS: Record<string, string> = {
  connectionTimeout: "30000",
  greetingTimeout: "30000",
  socketTimeout: "60000",
};

function withTimeoutDefaults(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  for (const [name, value] of Object.entries(SMTP_TIMEOUT_DEFAULTS)) {
    if (!url.searchParams.has(name)) url.searchParams.set(name, value);
  }
  return url.toString();
}

/** Delivers through an SMTP server, e.g. `smtps://user:pass@mail.example.com` or `smtp://127.0.0.1:2525?ignoreTLS=true`. */
export function smtpTransport(smtpUrl: string): MailTransport {
  const transporter = nodemailer.createTransport(withTimeoutDefaults(smtpUrl));
  return {
    async send(message) {
      const info = await transporter.sendMail(toNodemailerMessage(message));
      return { messageId: info.messageId, rejected: info.rejected.map(addressText) };
    },
  };
}

/** Mail files are named `<UTC time with - for :>-<uuid>.eml`, so sorting by name sorts by time. */
function mailFileName(at: Date): string {
  return `${at.toISOString().replace(/:/g, "-")}-${newId()}.eml`;
}

/** Writes to a temporary name and renames, so whoever opens the folder never sees a half-written file. */
async function writeFileAtomically(dir: string, name: string, content: Buffer): Promise<void> {
  const temporary = path.join(dir, `.${name}.${process.pid}.part`);
  const handle = await open(temporary, "wx", 0o640);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path.join(dir, name));
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * RFC 5322 lines end in CRLF. nodemailer's stream transport keeps a 7bit text body's bare LFs
 * (its SMTP transport converts them on the wire), so the file transport converts them itself.
 */
function withCrlfLineEnds(message: Buffer): Buffer {
  return Buffer.from(message.toString("latin1").replace(/\r?\n/g, "\r\n"), "latin1");
}

/** Writes each message as one RFC 5322 file in `dir`. */
export function fileTransport(dir: string): MailTransport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true });
  return {
    async send(message) {
      const info = await composer.sendMail(toNodemailerMessage(message));
      if (!Buffer.isBuffer(info.message)) throw new Error("nodemailer did not return the message as a buffer");
      await mkdir(dir, { recursive: true });
      await writeFileAtomically(dir, mailFileName(new Date()), withCrlfLineEnds(info.message));
      return { messageId: info.messageId, rejected: [] };
    },
  };
}

export function transportFor(config: Pick<Config, "smtpUrl" | "mailDir">): MailTransport {
  return config.smtpUrl ? smtpTransport(config.smtpUrl) : fileTransport(config.mailDir);
}
