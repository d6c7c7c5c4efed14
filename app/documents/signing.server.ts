/**
 * The one signing path for every PDF DPA Desk issues.
 *
 * `signPdf` adds a signature placeholder with @signpdf/placeholder-plain (an incremental update
 * appended to the finished PDF) and fills it with a detached PKCS#7 signature over the whole file
 * (adbe.pkcs7.detached, SHA-256), which poppler's pdfsig reports as "Signature is Valid" and
 * "Total document signed"; changing any byte afterwards makes it invalid.
 *
 * The PKCS#7 structure is built by node-forge, as @signpdf/signer-p12 does, but the RSA operation
 * runs in Node's crypto and the opened PKCS#12 is kept in memory (keyed by a hash of file and
 * passphrase): forge needs 0.1–0.5 s to open a PKCS#12 and as long for one RSA signature in
 * JavaScript, which would make every document slow. Only RSA keys are supported (forge cannot
 * read EC keys from a PKCS#12).
 *
 * `workspaceSigner` finds the certificate a workspace signs with: a PKCS#12 from configuration
 * (`<SIGNING_P12_DIR>/<slug>.p12`, opened with SIGNING_P12_PASSPHRASE), or, outside production
 * only, a self-signed certificate generated on first use and kept in `<DATA_DIR>/certs/`.
 */
import { constants, createHash, createPrivateKey, generateKeyPair, privateEncrypt, randomBytes, type KeyObject } from "node:crypto";
import { link, mkdir, open, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { plainAddPlaceholder } from "@signpdf/placeholder-plain";
import { SignPdf, Signer } from "@signpdf/signpdf";
import forge from "node-forge";
import { toAscii } from "./pdf-text";

/** A password-protected PKCS#12 (certificate + RSA private key) and its passphrase. */
export type SigningCredential = { p12: Buffer; passphrase: string };

/** What the signature dictionary says (ASCII only: other letters lose their accents). */
export type SignatureMeta = {
  reason: string;
  /** the signer as shown by PDF readers, usually the workspace's legal name */
  name: string;
  location: string;
  contactInfo: string;
  signingTime: Date;
};

export type CertificateInfo = {
  /** SHA-256 of the certificate (DER), as "AB:CD:…" like `openssl x509 -fingerprint -sha256` */
  fingerprintSha256: string;
  subjectCommonName: string;
  issuerCommonName: string;
  notBefore: string;
  notAfter: string;
  selfSigned: boolean;
};

/** The PKCS#12 cannot be used (wrong passphrase, no RSA key, not a PKCS#12), or the PDF cannot be signed. */
export class SigningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SigningError";
  }
}

/** The configuration does not give a usable certificate; `setting` names the variable to fix. */
export class SigningConfigurationError extends Error {
  constructor(
    message: string,
    readonly setting: "SIGNING_P12_DIR" | "SIGNING_P12_PASSPHRASE",
  ) {
    super(message);
    this.name = "SigningConfigurationError";
  }
}

// ----- opening a PKCS#12 --------------------------------------------------------------------------

type Identity = {
  key: KeyObject;
  certificate: forge.pki.Certificate;
  /** every certificate in the file (signer first), embedded in the signature for validators */
  chain: forge.pki.Certificate[];
  chainDerLength: number;
  info: CertificateInfo;
};

const IDENTITY_CACHE_LIMIT = 64;
const identities = new Map<string, Identity>();

function identityCacheKey(credential: SigningCredential): string {
  return createHash("sha256").update(credential.p12).update("\u0000").update(credential.passphrase, "utf8").digest("hex");
}

function remember(cacheKey: string, identity: Identity): Identity {
  identities.delete(cacheKey);
  identities.set(cacheKey, identity);
  if (identities.size > IDENTITY_CACHE_LIMIT) {
    const oldest = identities.keys().next().value;
    if (oldest !== undefined) identities.delete(oldest);
  }
  return identity;
}

function certificateDer(certificate: forge.pki.Certificate): Buffer {
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes(), "binary");
}

/** The CN of a parsed certificate; forge leaves UTF8String values as their UTF-8 bytes. */
function commonName(name: forge.pki.Certificate["subject"]): string {
  const field = name.getField("CN") as forge.pki.CertificateField | null;
  const value = field?.value;
  if (typeof value !== "string") return "";
  if (field?.valueTagClass !== (forge.asn1.Type.UTF8 as unknown as forge.asn1.Class)) return value;
  try {
    return forge.util.decodeUtf8(value);
  } catch {
    return value;
  }
}

function buildIdentity(privateKey: forge.pki.rsa.PrivateKey, certificates: forge.pki.Certificate[]): Identity {
  const certificate = certificates.find((candidate) => {
    const publicKey = candidate.publicKey as forge.pki.rsa.PublicKey;
    return publicKey.n?.equals(privateKey.n) && publicKey.e?.equals(privateKey.e);
  });
  if (!certificate) throw new SigningError("The PKCS#12 has no certificate that matches its private key");
  const chain = [certificate, ...certificates.filter((c) => c !== certificate)];
  const der = certificateDer(certificate);
  const fingerprint = createHash("sha256").update(der).digest("hex").toUpperCase().match(/../g)?.join(":") ?? "";
  return {
    key: createPrivateKey(forge.pki.privateKeyToPem(privateKey)),
    certificate,
    chain,
    chainDerLength: chain.reduce((sum, c) => sum + certificateDer(c).length, 0),
    info: {
      fingerprintSha256: fingerprint,
      subjectCommonName: commonName(certificate.subject),
      issuerCommonName: commonName(certificate.issuer),
      notBefore: certificate.validity.notBefore.toISOString(),
      notAfter: certificate.validity.notAfter.toISOString(),
      selfSigned: certificate.isIssuer(certificate),
    },
  };
}

function openIdentity(credential: SigningCredential): Identity {
  const cacheKey = identityCacheKey(credential);
  const cached = identities.get(cacheKey);
  if (cached) return remember(cacheKey, cached);
  let pfx: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(credential.p12.toString("binary")));
    pfx = forge.pkcs12.pkcs12FromAsn1(asn1, false, credential.passphrase);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SigningError(`The PKCS#12 certificate cannot be opened (wrong passphrase, or not a PKCS#12 file): ${reason}`);
  }
  const bagsOf = (bagType: string) => pfx.getBags({ bagType })[bagType] ?? [];
  const keyBag = [...bagsOf(forge.pki.oids.pkcs8ShroudedKeyBag), ...bagsOf(forge.pki.oids.keyBag)].find((bag) => bag.key);
  if (!keyBag?.key) throw new SigningError("The PKCS#12 contains no RSA private key (only RSA keys are supported)");
  const certificates = bagsOf(forge.pki.oids.certBag).flatMap((bag) => (bag.cert ? [bag.cert] : []));
  return remember(cacheKey, buildIdentity(keyBag.key, certificates));
}

/** Subject, validity and SHA-256 fingerprint of the signing certificate, for evidence pages. */
export function certificateInfo(p12: Buffer, passphrase: string): CertificateInfo {
  return { ...openIdentity({ p12, passphrase }).info };
}

/** SHA-256 fingerprint of the signing certificate, "AB:CD:…" (64 hex digits, colon-separated). */
export function certificateFingerprint(p12: Buffer, passphrase: string): string {
  return openIdentity({ p12, passphrase }).info.fingerprintSha256;
}

// ----- signing -----------------------------------------------------------------------------------

/** DER prefix of a PKCS#1 v1.5 DigestInfo for SHA-256; the 32-byte hash follows. */
const SHA256_DIGEST_INFO = Buffer.from("3031300d060960864801650304020105000420", "hex");

/** A forge "private key" whose RSA operation is done by Node (same PKCS#1 v1.5 result, ~50× faster). */
function nodeRsaKey(key: KeyObject): forge.pki.rsa.PrivateKey {
  const sign = (md: forge.md.MessageDigest) => {
    if (md.algorithm !== "sha256") throw new SigningError(`Unexpected digest ${md.algorithm}`);
    const digestInfo = Buffer.concat([SHA256_DIGEST_INFO, Buffer.from(md.digest().getBytes(), "binary")]);
    return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo).toString("binary");
  };
  return { sign } as unknown as forge.pki.rsa.PrivateKey;
}

/**
 * The issuer name for the SignerInfo. forge re-encodes a name from its parsed attributes and
 * UTF-8-encodes UTF8String values a second time (the bytes it parsed are already UTF-8), so
 * "Zoë" would not match the certificate and validators would not find the signer; it gets the
 * decoded text instead. (@signpdf/signer-p12 has this problem with non-ASCII names.)
 */
function signerInfoIssuer(certificate: forge.pki.Certificate): forge.pki.CertificateField[] {
  const utf8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;
  return certificate.issuer.attributes.map((attribute: forge.pki.CertificateField) => {
    if (attribute.valueTagClass !== utf8 || typeof attribute.value !== "string") return attribute;
    try {
      return { ...attribute, value: forge.util.decodeUtf8(attribute.value) };
    } catch {
      return attribute;
    }
  });
}

/**
 * A detached CMS SignedData (DER) over `content`: SHA-256, RSA PKCS#1 v1.5, signed attributes
 * (content type, signing time, message digest) and the certificate chain embedded. The PDF
 * signature and the audit pack's manifest signature are both made here.
 */
function detachedCms(identity: Identity, content: Buffer, signingTime: Date): Buffer {
  const p7 = forge.pkcs7.createSignedData();
  p7.content = forge.util.createBuffer(content.toString("binary"));
  for (const certificate of identity.chain) p7.addCertificate(certificate);
  const signer = {
    key: nodeRsaKey(identity.key),
    issuer: signerInfoIssuer(identity.certificate),
    serialNumber: identity.certificate.serialNumber,
    digestAlgorithm: forge.pki.oids.sha256,
    // the order matters for EU (DSS) validation; it is the order @signpdf/signer-p12 uses
    authenticatedAttributes: [
      { type: forge.pki.oids.contentType, value: forge.pki.oids.data },
      { type: forge.pki.oids.signingTime, value: signingTime as unknown as string },
      { type: forge.pki.oids.messageDigest },
    ],
  };
  // forge accepts issuer + serialNumber instead of a certificate; its typings do not say so
  p7.addSigner(signer as unknown as Parameters<typeof p7.addSigner>[0]);
  p7.sign({ detached: true });
  return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), "binary");
}

class IdentitySigner extends Signer {
  constructor(private readonly identity: Identity) {
    super();
  }

  override async sign(pdfBuffer: Buffer, signingTime?: Date): Promise<Buffer> {
    return detachedCms(this.identity, pdfBuffer, signingTime ?? new Date());
  }
}

/**
 * A detached CMS signature (DER, e.g. `manifest.json.p7s`) of `content` with the credential.
 * Verifies with `openssl cms -verify -binary -inform DER -in <file>.p7s -content <file> -noverify`.
 */
export function signDetached(content: Buffer, credential: SigningCredential, signingTime: Date): Buffer {
  if (Number.isNaN(signingTime.getTime())) throw new SigningError("signingTime is not a valid date");
  return detachedCms(openIdentity(credential), content, signingTime);
}

/** The credential's certificate chain as PEM (signer first), for verifiers. */
export function certificateChainPem(credential: SigningCredential): string {
  return openIdentity(credential)
    .chain.map((c) => forge.pki.certificateToPem(c))
    .join("");
}

/**
 * Signs a finished PDF (as rendered by `renderPdf`) with the credential. The same PDF, credential
 * and meta give the same bytes (PKCS#1 v1.5 signatures are deterministic).
 */
export async function signPdf(pdf: Buffer, signer: SigningCredential, meta: SignatureMeta): Promise<Buffer> {
  if (Number.isNaN(meta.signingTime.getTime())) throw new SigningError("signingTime is not a valid date");
  if (!meta.reason.trim() || !meta.name.trim()) throw new SigningError("A signature needs a reason and a name");
  if (!pdf.subarray(0, 5).equals(Buffer.from("%PDF-"))) throw new SigningError("Not a PDF");
  if (pdf.includes("/ByteRange")) throw new SigningError("The PDF is already signed; sign the unsigned rendering");
  const identity = openIdentity(signer);
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: toAscii(meta.reason),
    name: toAscii(meta.name),
    location: toAscii(meta.location),
    contactInfo: toAscii(meta.contactInfo),
    signingTime: meta.signingTime,
    // room for the certificates in the file, the signature and the attributes
    signatureLength: Math.max(8192, identity.chainDerLength + 4096),
    // a PDF name: "#20" is its escape for a space
    appName: "DPA#20Desk",
  });
  return new SignPdf().sign(withPlaceholder, new IdentitySigner(identity), meta.signingTime);
}

// ----- which certificate a workspace signs with ---------------------------------------------------

/**
 * The settings `workspaceSigner` reads. `getConfig()` fits this type: it has `isProduction` and
 * `dataDir`, and (once added) `signingP12Dir` / `signingP12Passphrase` from SIGNING_P12_DIR and
 * SIGNING_P12_PASSPHRASE.
 */
export type SigningConfig = {
  isProduction: boolean;
  dataDir: string;
  signingP12Dir?: string | undefined;
  signingP12Passphrase?: string | undefined;
};

export type WorkspaceForSigning = { id: string; slug: string; legalName: string };

export type WorkspaceSigner = SigningCredential & {
  source: "configured" | "self-signed";
  /** where the PKCS#12 lives */
  file: string;
};

const SAFE_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function safeName(value: string, what: string): string {
  if (!SAFE_FILE_NAME.test(value) || value.includes("..")) throw new SigningError(`${what} "${value}" cannot be used in a file name`);
  return value;
}

async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function assertCurrent(identity: Identity, file: string, now: Date, hint: string): void {
  const { notBefore, notAfter } = identity.certificate.validity;
  if (now > notAfter) throw new SigningError(`The signing certificate ${file} expired on ${notAfter.toISOString()}; ${hint}`);
  if (now < notBefore) throw new SigningError(`The signing certificate ${file} is not valid before ${notBefore.toISOString()}; ${hint}`);
}

/**
 * The credential the workspace signs its PDFs with.
 * - `<signingP12Dir>/<slug>.p12` when that file exists, opened with `signingP12Passphrase`;
 * - otherwise, in production, a SigningConfigurationError naming the missing setting;
 * - otherwise (development, demo, test) a self-signed certificate for the workspace's legal name,
 *   made on first use and kept as `<dataDir>/certs/<workspace-id>.p12` with its random passphrase
 *   in `<workspace-id>.pass` (both mode 0600), reused from then on.
 */
export async function workspaceSigner(workspace: WorkspaceForSigning, config: SigningConfig, now: Date = new Date()): Promise<WorkspaceSigner> {
  if (config.signingP12Dir) {
    const file = path.resolve(config.signingP12Dir, `${safeName(workspace.slug, "Workspace slug")}.p12`);
    const p12 = await readIfExists(file);
    if (p12) {
      const passphrase = config.signingP12Passphrase;
      if (!passphrase) {
        throw new SigningConfigurationError(`SIGNING_P12_PASSPHRASE is not set: it is needed to open the signing certificate ${file}`, "SIGNING_P12_PASSPHRASE");
      }
      let identity: Identity;
      try {
        identity = openIdentity({ p12, passphrase });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new SigningConfigurationError(`The signing certificate ${file} cannot be used with SIGNING_P12_PASSPHRASE: ${reason}`, "SIGNING_P12_PASSPHRASE");
      }
      assertCurrent(identity, file, now, "put a renewed certificate in SIGNING_P12_DIR");
      return { p12, passphrase, source: "configured", file };
    }
    if (config.isProduction) {
      throw new SigningConfigurationError(
        `No signing certificate for workspace "${workspace.slug}": ${file} does not exist (SIGNING_P12_DIR holds one PKCS#12 per workspace, named <slug>.p12)`,
        "SIGNING_P12_DIR",
      );
    }
  } else if (config.isProduction) {
    throw new SigningConfigurationError(
      "SIGNING_P12_DIR is not set: in production every workspace signs its PDFs with its own certificate, " +
        "SIGNING_P12_DIR/<workspace slug>.p12 (PKCS#12 with an RSA key, opened with SIGNING_P12_PASSPHRASE); " +
        "self-signed certificates are only generated outside production",
      "SIGNING_P12_DIR",
    );
  }
  const certs = path.resolve(config.dataDir, "certs");
  const credential = await selfSignedCredential(certs, workspace, now);
  const file = path.join(certs, `${workspace.id}.p12`);
  assertCurrent(openIdentity(credential), file, now, `delete it and ${workspace.id}.pass to generate a new one`);
  return { ...credential, source: "self-signed", file };
}

// ----- self-signed certificates (outside production) ---------------------------------------------

const inFlight = new Map<string, Promise<SigningCredential>>();

/** One generation per workspace at a time in this process; other processes are handled by `publishOnce`. */
function selfSignedCredential(dir: string, workspace: WorkspaceForSigning, now: Date): Promise<SigningCredential> {
  const key = path.join(dir, safeName(workspace.id, "Workspace id"));
  let pending = inFlight.get(key);
  if (!pending) {
    pending = loadOrCreateSelfSigned(dir, workspace, now).finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  return pending;
}

/**
 * Crash- and race-safe without locks: each file is written completely under a temporary name and
 * then hard-linked to its final name, which fails if the name exists. The passphrase is settled
 * first (whoever links `.pass` first wins, everyone else reads it), then the certificate encrypted
 * with it (again the first link wins). A crash between the two leaves a `.pass` that the next
 * caller reuses.
 */
async function loadOrCreateSelfSigned(dir: string, workspace: WorkspaceForSigning, now: Date): Promise<SigningCredential> {
  const p12File = path.join(dir, `${workspace.id}.p12`);
  const passFile = path.join(dir, `${workspace.id}.pass`);
  const existing = await readIfExists(p12File);
  if (existing) {
    const passphrase = await readIfExists(passFile);
    if (!passphrase) throw new SigningError(`${p12File} exists but its passphrase file ${passFile} is missing; delete ${p12File} to generate a new certificate`);
    return { p12: existing, passphrase: passphrase.toString("utf8").trim() };
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const passphrase = (await publishOnce(passFile, Buffer.from(randomBytes(32).toString("base64url"), "utf8"))).toString("utf8").trim();
  const published = await readIfExists(p12File);
  if (published) return { p12: published, passphrase };
  const generated = await generateSelfSigned(workspace, passphrase, now);
  const p12 = await publishOnce(p12File, generated.p12);
  if (p12.equals(generated.p12)) remember(identityCacheKey({ p12, passphrase }), generated.identity);
  return { p12, passphrase };
}

/** Writes `content` to `file` unless it exists; returns what `file` holds afterwards. */
async function publishOnce(file: string, content: Buffer): Promise<Buffer> {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const handle = await open(temporary, "wx", 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporary, file);
    return content;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readFile(file);
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}

const generateRsaKeyPair = promisify(generateKeyPair);

/** X.520 upper bounds for common and organisation names. */
const MAX_NAME_LENGTH = 64;

async function generateSelfSigned(workspace: WorkspaceForSigning, passphrase: string, now: Date): Promise<{ p12: Buffer; identity: Identity }> {
  const { privateKey } = await generateRsaKeyPair("rsa", { modulusLength: 2048, publicExponent: 0x10001 });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey.export({ type: "pkcs1", format: "pem" }).toString());
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x40; // positive, no leading zero byte
  certificate.serialNumber = serial.toString("hex");
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + 5);
  certificate.validity.notBefore = notBefore;
  certificate.validity.notAfter = notAfter;
  const name = workspace.legalName.trim().slice(0, MAX_NAME_LENGTH);
  // forge encodes a UTF8String value itself
  const utf8 = (shortName: string, value: string) => ({ shortName, value, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class });
  const subject = [utf8("CN", name), utf8("O", name), { shortName: "C", value: "NL" }];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", critical: true, digitalSignature: true, nonRepudiation: true },
    { name: "subjectKeyIdentifier" },
  ]);
  certificate.sign(nodeRsaKey(privateKey), forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(forgeKey, [certificate], passphrase, {
    algorithm: "aes256",
    friendlyName: `DPA Desk ${workspace.slug}`,
    generateLocalKeyId: true,
  });
  const p12 = Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary");
  // the certificate as it will be read back from the file (names as UTF-8 bytes)
  const stored = forge.pki.certificateFromAsn1(forge.asn1.fromDer(forge.asn1.toDer(forge.pki.certificateToAsn1(certificate))));
  return { p12, identity: buildIdentity(forgeKey, [stored]) };
}
