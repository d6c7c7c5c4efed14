/**
 * How mail leaves DPA Desk: over SMTP when SMTP_URL is set, otherwise as .eml files in the data
 * folder (demo and development), which the demo mailbox page lists and reads back.
 */
import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer";
import { mkdir, open, readdir, readFile, rename, rm } from "node:fs/promises";
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
const MAIL_FILE_NAME = /^[A-Za-z0-9._-]+\.eml$/;

function mailFileName(at: Date): string {
  return `${at.toISOString().replace(/:/g, "-")}-${newId()}.eml`;
}

/** Writes to a temporary name and renames, so a reader never sees a half-written file. */
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

// ---------------------------------------------------------------------------------------------
// Reading the .eml files back (demo mailbox). A small MIME reader: header unfolding, RFC 2047
// encoded words, RFC 2231 parameters, 7bit/8bit/quoted-printable/base64 bodies, nested multiparts.
// All parsing works on "binary" strings (one char per byte) and decodes text with its charset last.
// ---------------------------------------------------------------------------------------------

export type MailSummary = {
  name: string;
  from: string;
  to: string;
  subject: string;
  /** the Date header as an ISO-8601 instant, or null when missing or unreadable */
  date: string | null;
};

export type MailFile = MailSummary & { text: string; attachments: string[] };

export class InvalidMailFileNameError extends Error {
  constructor(name: string) {
    super(`Not a mail file name: ${JSON.stringify(name)}`);
    this.name = "InvalidMailFileNameError";
  }
}

type Headers = Map<string, string>;

type MimeEntity = { headers: Headers; body: string };

type ContentType = { type: string; params: Map<string, string> };

function bytesToText(binary: string, charset: string): string {
  const bytes = Buffer.from(binary, "latin1");
  try {
    return new TextDecoder(charset, { fatal: false }).decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}

function decodeQuotedPrintable(binary: string): string {
  return binary.replace(/=\r?\n/g, "").replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function decodeBase64(binary: string): string {
  return Buffer.from(binary.replace(/[^A-Za-z0-9+/=]/g, ""), "base64").toString("latin1");
}

function decodeEncodedWord(charset: string, encoding: string, encoded: string): string {
  const binary =
    encoding.toUpperCase() === "B" ? decodeBase64(encoded) : decodeQuotedPrintable(encoded.replace(/_/g, " "));
  return bytesToText(binary, charset.split("*")[0]);
}

/** RFC 2047: `=?utf-8?Q?...?=` / `=?utf-8?B?...?=`; whitespace between two encoded words is dropped. */
function decodeHeaderValue(binary: string): string {
  const encodedWord = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;
  const joined = binary.replace(/(\?=)\s+(?==\?)/g, "$1");
  const decoded = joined.replace(encodedWord, (_, charset: string, encoding: string, text: string) =>
    Buffer.from(decodeEncodedWord(charset, encoding, text), "utf8").toString("latin1"),
  );
  return bytesToText(decoded, "utf-8");
}

function splitHeaderAndBody(binary: string): { headerBlock: string; body: string } {
  const separator = /\r?\n\r?\n/.exec(binary);
  if (!separator) return { headerBlock: binary, body: "" };
  return { headerBlock: binary.slice(0, separator.index), body: binary.slice(separator.index + separator[0].length) };
}

/** Header names lower-cased; raw (still encoded) values; the first occurrence wins. */
function parseHeaderBlock(headerBlock: string): Headers {
  const headers: Headers = new Map();
  const unfolded = headerBlock.replace(/\r?\n[ \t]+/g, " ");
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

function parseEntity(binary: string): MimeEntity {
  const { headerBlock, body } = splitHeaderAndBody(binary);
  return { headers: parseHeaderBlock(headerBlock), body };
}

function unquote(value: string): string {
  const trimmed = value.trim();
  if (trimmed.startsWith('"') && trimmed.endsWith('"') && trimmed.length >= 2) {
    return trimmed.slice(1, -1).replace(/\\(.)/g, "$1");
  }
  return trimmed;
}

/** RFC 2231 extended value: `charset'language'percent-encoded`. */
function decodeExtendedValue(value: string): string {
  const match = /^([^']*)'[^']*'(.*)$/.exec(value);
  if (!match) return value;
  const binary = match[2].replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return bytesToText(binary, match[1] || "us-ascii");
}

/** Parameters of Content-Type / Content-Disposition, joining RFC 2231 continuations (name*0*, name*1*). */
function parseParameters(list: string): Map<string, string> {
  const plain = new Map<string, string>();
  const sections = new Map<string, Array<{ index: number; value: string; encoded: boolean }>>();
  const parameter = /;\s*([^=\s;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g;
  for (const match of list.matchAll(parameter)) {
    const key = match[1].toLowerCase();
    const value = unquote(match[2]);
    const extended = /^([^*]+)\*(\d+)?(\*)?$/.exec(key);
    if (!extended) {
      plain.set(key, decodeHeaderValue(value));
      continue;
    }
    const [, name, index, star] = extended;
    const parts = sections.get(name) ?? [];
    parts.push({ index: index === undefined ? 0 : Number(index), value, encoded: star === "*" || index === undefined });
    sections.set(name, parts);
  }
  for (const [name, parts] of sections) {
    parts.sort((a, b) => a.index - b.index);
    const encoded = parts[0].encoded;
    const joined = parts.map((p) => p.value).join("");
    plain.set(name, encoded ? decodeExtendedValue(joined) : joined);
  }
  return plain;
}

function contentTypeOf(headers: Headers): ContentType {
  const raw = headers.get("content-type") ?? "text/plain; charset=us-ascii";
  const semicolon = raw.indexOf(";");
  const type = (semicolon === -1 ? raw : raw.slice(0, semicolon)).trim().toLowerCase();
  return { type, params: parseParameters(semicolon === -1 ? "" : raw.slice(semicolon)) };
}

function attachmentNameOf(headers: Headers, contentType: ContentType): string | null {
  const disposition = headers.get("content-disposition") ?? "";
  const semicolon = disposition.indexOf(";");
  const dispositionType = (semicolon === -1 ? disposition : disposition.slice(0, semicolon)).trim().toLowerCase();
  const filename = parseParameters(semicolon === -1 ? "" : disposition.slice(semicolon)).get("filename");
  if (dispositionType === "attachment") return filename ?? contentType.params.get("name") ?? "attachment";
  return filename ?? null;
}

function decodeTextBody(entity: MimeEntity, contentType: ContentType): string {
  const transferEncoding = (entity.headers.get("content-transfer-encoding") ?? "7bit").trim().toLowerCase();
  const binary =
    transferEncoding === "base64"
      ? decodeBase64(entity.body)
      : transferEncoding === "quoted-printable"
        ? decodeQuotedPrintable(entity.body)
        : entity.body;
  return bytesToText(binary, contentType.params.get("charset") ?? "utf-8").replace(/\r\n/g, "\n");
}

function multipartChildren(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const children: string[] = [];
  let current: string[] | null = null;
  for (const line of body.split(/\r?\n/)) {
    const trimmed = line.trimEnd();
    if (trimmed === `${delimiter}--`) break;
    if (trimmed === delimiter) {
      if (current) children.push(current.join("\r\n"));
      current = [];
    } else if (current) {
      current.push(line);
    }
  }
  if (current) children.push(current.join("\r\n"));
  return children;
}

/** The first text/plain part that is not an attachment, and the names of all attachments. */
function readContent(entity: MimeEntity): { text: string | null; attachments: string[] } {
  const contentType = contentTypeOf(entity.headers);
  const attachmentName = attachmentNameOf(entity.headers, contentType);
  if (attachmentName !== null) return { text: null, attachments: [attachmentName] };
  const boundary = contentType.params.get("boundary");
  if (contentType.type.startsWith("multipart/") && boundary) {
    let text: string | null = null;
    const attachments: string[] = [];
    for (const child of multipartChildren(entity.body, boundary)) {
      const content = readContent(parseEntity(child));
      text ??= content.text;
      attachments.push(...content.attachments);
    }
    return { text, attachments };
  }
  if (contentType.type === "text/plain") return { text: decodeTextBody(entity, contentType), attachments: [] };
  return { text: null, attachments: [] };
}

function isoDate(value: string | undefined): string | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function summaryOf(name: string, headers: Headers): MailSummary {
  const header = (key: string) => decodeHeaderValue(headers.get(key) ?? "");
  return { name, from: header("from"), to: header("to"), subject: header("subject"), date: isoDate(headers.get("date")) };
}

/** Parses a raw RFC 5322 message (as read from disk) into its headers, text body and attachment names. */
export function parseMailMessage(name: string, raw: Buffer): MailFile {
  const entity = parseEntity(raw.toString("latin1"));
  const content = readContent(entity);
  return { ...summaryOf(name, entity.headers), text: content.text ?? "", attachments: content.attachments };
}

function assertMailFileName(name: string): void {
  if (!MAIL_FILE_NAME.test(name) || path.basename(name) !== name) throw new InvalidMailFileNameError(name);
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === "ENOENT";
}

/** Enough of the file for the headers; a summary never reads attachments. */
const HEADER_READ_BYTES = 64 * 1024;

async function readHead(file: string): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(HEADER_READ_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_READ_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Mail files in `dir`, newest first, one page at a time; a missing folder is an empty mailbox. */
export async function listMailFiles(
  dir: string,
  page: { limit: number; offset: number },
): Promise<{ total: number; items: MailSummary[] }> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => MAIL_FILE_NAME.test(name) && !name.startsWith("."));
  } catch (error) {
    if (isMissing(error)) return { total: 0, items: [] };
    throw error;
  }
  names.sort().reverse();
  const pageNames = names.slice(page.offset, page.offset + page.limit);
  const items = await Promise.all(
    pageNames.map(async (name) => summaryOf(name, parseEntity((await readHead(path.join(dir, name))).toString("latin1")).headers)),
  );
  return { total: names.length, items };
}

/**
 * One mail file, or null when it does not exist. Throws InvalidMailFileNameError for any name that
 * is not a plain `*.eml` file name (no folders, no path traversal).
 */
export async function readMailFile(dir: string, name: string): Promise<MailFile | null> {
  assertMailFileName(name);
  try {
    return parseMailMessage(name, await readFile(path.join(dir, name)));
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}
