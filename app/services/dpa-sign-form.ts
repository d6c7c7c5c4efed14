/** The portal's signing form: one zod schema for the browser and the server. Messages are catalog keys. */
import { z } from "zod";

export const SignDpaSchema = z.object({
  fullName: z.string({ required_error: "dpas.error.name_required" }).trim().min(1, "dpas.error.name_required").max(200),
  roleTitle: z.string({ required_error: "dpas.error.role_required" }).trim().min(1, "dpas.error.role_required").max(200),
  authorised: z.literal(true, { errorMap: () => ({ message: "dpas.error.not_authorised" }) }),
  dpaId: z.string().uuid(),
  textHash: z.string().regex(/^[0-9a-f]{64}$/, "dpas.error.text_changed"),
});
export type SignDpaInput = z.input<typeof SignDpaSchema>;

/** The posted form (with or without JavaScript) → the schema's input. */
export function signDpaInput(form: FormData): Record<string, unknown> {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  return { fullName: text("fullName"), roleTitle: text("roleTitle"), authorised: form.get("authorised") === "on", dpaId: text("dpaId"), textHash: text("textHash") };
}
