/**
 * Issue 9's measurement: render and sign one DPA PDF (target under 200 ms each), and 100 in a row
 * without memory growth (heap after a forced GC, before and after).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { demoDpaInput } from "../../db/seed/demo-dpa-input";
import { dpaPdfSpec } from "~/documents/dpa-pdf";
import { buildDpaTemplateData, dpaText, dpaTextHash, loadDpaTemplate, renderTemplate } from "~/documents/dpa-template";
import { certificateFingerprint, renderSignedPdf, workspaceSigner } from "~/documents/index.server";
import { timingScenario } from "./scenario";

async function prepare() {
  const rendered = renderTemplate(await loadDpaTemplate("leadcube", "nl"), buildDpaTemplateData(demoDpaInput("leadcube")));
  const textHash = dpaTextHash(dpaText(rendered));
  const dataDir = mkdtempSync(path.join(tmpdir(), "dpadesk-bench-certs-"));
  const signer = await workspaceSigner(
    { id: "bench", slug: "bench", legalName: "Lightcube B.V." },
    { isProduction: false, dataDir, signingP12Dir: undefined, signingP12Passphrase: undefined },
  );
  const fingerprint = certificateFingerprint(signer.p12, signer.passphrase);
  const at = "2026-11-22T10:00:00.000Z";
  const spec = dpaPdfSpec({
    language: "nl",
    rendered,
    versionLabel: "Leadcube v1 · 2026-11-22",
    textHash,
    processorName: "Lightcube B.V.",
    controllerName: "Bench klant B.V.",
    signatures: (["controller", "processor"] as const).map((party) => ({
      party,
      organisation: party === "controller" ? "Bench klant B.V." : "Lightcube B.V.",
      fullName: "Anna de Vries",
      roleTitle: "Directeur",
      signedAt: at,
      signedAtDisplay: "22-11-2026 11:00 CET",
      ip: "127.0.0.1",
      userAgent: "bench",
      automatic: false,
      textHash,
    })),
    sealedAt: at,
    certificateFingerprint: fingerprint,
  });
  const meta = { reason: "Benchmark", name: "Lightcube B.V.", location: "Arnhem", contactInfo: "bench@example.test", signingTime: new Date(at) };
  return () => renderSignedPdf(spec, signer, meta);
}

export const dpaPdfScenarios = [
  timingScenario({
    name: "dpa-pdf",
    description: "render and digitally sign one DPA PDF (Leadcube template, 13 pages), 100 in a row",
    setup: prepare,
    warmup: 3,
    iterations: 100,
    goals: { maxP95Ms: 200, maxRssMb: 300 },
  }),
];
