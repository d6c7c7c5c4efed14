/**
 * Files of end-of-contract cases under DATA_DIR/end-of-contract/<workspace>/<case>/: evidence
 * uploads (size and type limited, type decided by the server from the bytes and the extension)
 * and the signed certificate. Paths in the database are relative to DATA_DIR.
 */
import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { getConfig } from "~/config.server";
import { newId } from "./ids.server";

export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

export type EvidenceType = { extension: string; contentType: string };

const BINARY_TYPES: { extensions: string[]; contentType: string; magic: (b: Buffer) => boolean }[] = [
  { extensions: ["pdf"], contentType: "application/pdf", magic: (b) => b.subarray(0, 5).toString("latin1") === "%PDF-" },
  { extensions: ["png"], contentType: "image/png", magic: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { extensions: ["jpg", "jpeg"], contentType: "image/jpeg", magic: (b) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    extensions: ["zip"],
    contentType: "application/zip",
    magic: (b) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 0x03 && b[3] === 0x04) || (b[2] === 0x05 && b[3] === 0x06)),
  },
];

const TEXT_TYPES: Record<string, string> = { txt: "text/plain; charset=utf-8", csv: "text/csv; charset=utf-8", eml: "message/rfc822" };

function isUtf8Text(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** A file name safe to store and to send back: no folders, no control characters, bounded. */
export function safeFilename(raw: string): string {
  const base = [...path.basename(raw.replace(/\\/g, "/"))]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f && ch !== '"')
    .join("")
    .trim();
  const bounded = base.length > 150 ? base.slice(base.length - 150) : base;
  return bounded || "evidence";
}

export type EvidenceCheck = { ok: true; type: EvidenceType; filename: string } | { ok: false; error: "file_too_large" | "file_type" | "file_empty" };

/**
 * Accepts PDF, PNG, JPEG and ZIP when the bytes start with the format's signature and the name has
 * a matching extension; TXT, CSV and EML by extension when the bytes are UTF-8 text.
 */
export function checkEvidenceFile(file: { filename: string; bytes: Buffer }): EvidenceCheck {
  if (file.bytes.length === 0) return { ok: false, error: "file_empty" };
  if (file.bytes.length > MAX_EVIDENCE_BYTES) return { ok: false, error: "file_too_large" };
  const filename = safeFilename(file.filename);
  const extension = path.extname(filename).slice(1).toLowerCase();
  const binary = BINARY_TYPES.find((type) => type.extensions.includes(extension));
  if (binary) return binary.magic(file.bytes) ? { ok: true, type: { extension, contentType: binary.contentType }, filename } : { ok: false, error: "file_type" };
  const textType = TEXT_TYPES[extension];
  if (textType && isUtf8Text(file.bytes)) return { ok: true, type: { extension, contentType: textType }, filename };
  return { ok: false, error: "file_type" };
}

export function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function caseDir(workspaceId: string, caseId: string): string {
  return path.join("end-of-contract", workspaceId, caseId);
}

export function evidenceRelativePath(workspaceId: string, caseId: string, evidenceId: string, extension: string): string {
  return path.join(caseDir(workspaceId, caseId), "evidence", `${evidenceId}.${extension}`);
}

export function certificateRelativePath(workspaceId: string, caseId: string): string {
  return path.join(caseDir(workspaceId, caseId), `certificate-${newId()}.pdf`);
}

export function absolute(relative: string): string {
  return path.join(getConfig().dataDir, relative);
}

export async function writeFileAtomically(relative: string, bytes: Buffer): Promise<string> {
  const file = absolute(relative);
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${newId()}.tmp`;
  await writeFile(temporary, bytes, { mode: 0o640 });
  await rename(temporary, file);
  return file;
}

export async function removeFile(relative: string): Promise<void> {
  await rm(absolute(relative), { force: true });
}

export async function readStoredFile(relative: string): Promise<Buffer> {
  return readFile(absolute(relative));
}

/** What the evidence form accepts, for display next to the file input. */
export const EVIDENCE_FILE_TYPES = ["PDF", "PNG", "JPEG", "TXT", "CSV", "EML", "ZIP"] as const;
export const EVIDENCE_ACCEPT = ".pdf,.png,.jpg,.jpeg,.txt,.csv,.eml,.zip";

const MAX_TEXT_PART_BYTES = 64 * 1024;

/**
 * Reads the evidence form (text fields plus an optional file in the part named `file`) without
 * holding more than the limit in memory. A file over the limit is not kept: `fileError` is then
 * "contracts.error.file_too_large". Plain (non-multipart) posts are read as usual. Use in the
 * route's action, then pass `{ note, doneOn, backupsExpireOn, file }` to completeTask.
 */
export async function readEvidenceForm(request: Request): Promise<{ form: FormData; file: { filename: string; bytes: Buffer } | null; fileError: string | null }> {
  const contentType = request.headers.get("Content-Type") ?? "";
  if (!contentType.startsWith("multipart/form-data")) return { form: await request.formData(), file: null, fileError: null };
  let file: { filename: string; bytes: Buffer } | null = null;
  let fileError: string | null = null;
  const handler: UploadHandler = async ({ name, filename, data }) => {
    const isFile = typeof filename === "string";
    const limit = isFile ? (name === "file" ? MAX_EVIDENCE_BYTES : 0) : MAX_TEXT_PART_BYTES;
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of data) {
      size += chunk.byteLength;
      if (size <= limit) chunks.push(chunk);
    }
    if (!isFile) {
      if (size > limit) throw new Response("Form field too large", { status: 413 });
      return Buffer.concat(chunks).toString("utf8");
    }
    if (name !== "file" || (filename === "" && size === 0)) return undefined;
    if (size > limit) fileError = "contracts.error.file_too_large";
    else file = { filename, bytes: Buffer.concat(chunks) };
    return undefined;
  };
  const form = await unstable_parseMultipartFormData(request, handler);
  return { form, file, fileError };
}
