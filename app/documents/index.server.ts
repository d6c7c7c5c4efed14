/**
 * The PDF machinery of DPA Desk: describe a document as data (`./document`), then
 * `renderSignedPdf` renders it and signs it with the workspace's certificate. Every feature that
 * issues a PDF (DPA, breach notice letter, deletion certificate) goes through here:
 *
 *   const signer = await workspaceSigner(workspace, getConfig());
 *   const pdf = await renderSignedPdf(spec, signer, { reason, name: workspace.legalName, location, contactInfo, signingTime: new Date(nowIso) });
 */
import type { PdfDocumentSpec } from "./document";
import { renderPdf } from "./render.server";
import { signPdf, type SignatureMeta, type SigningCredential } from "./signing.server";

/** Renders the document and signs it: the single entry point for a signed PDF. */
export async function renderSignedPdf(doc: PdfDocumentSpec, signer: SigningCredential, signMeta: SignatureMeta): Promise<Buffer> {
  return signPdf(await renderPdf(doc), signer, signMeta);
}

export * from "./document";
export { renderPdf } from "./render.server";
export {
  certificateChainPem,
  certificateFingerprint,
  certificateInfo,
  signDetached,
  signPdf,
  SigningConfigurationError,
  SigningError,
  workspaceSigner,
  type CertificateInfo,
  type SignatureMeta,
  type SigningConfig,
  type SigningCredential,
  type WorkspaceForSigning,
  type WorkspaceSigner,
} from "./signing.server";
