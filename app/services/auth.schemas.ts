import { z } from "zod";

/** Shared by the browser (react-hook-form) and the server action. Messages are catalog keys. */
export const LoginSchema = z.object({
  email: z.string({ required_error: "login.emailRequired" }).trim().min(1, "login.emailRequired").email("login.emailInvalid").max(254),
  password: z.string({ required_error: "login.passwordRequired" }).min(1, "login.passwordRequired").max(1000),
});
export type LoginForm = z.infer<typeof LoginSchema>;

export const ForgotPasswordSchema = z.object({
  email: z.string({ required_error: "login.emailRequired" }).trim().min(1, "login.emailRequired").email("login.emailInvalid").max(254),
});
export type ForgotPasswordForm = z.infer<typeof ForgotPasswordSchema>;

export const NewPasswordSchema = z
  .object({
    password: z.string({ required_error: "reset.tooShort" }).min(12, "reset.tooShort").max(1000),
    passwordConfirm: z.string().max(1000),
  })
  .refine((v) => v.password === v.passwordConfirm, { path: ["passwordConfirm"], message: "reset.mismatch" });
export type NewPasswordForm = z.infer<typeof NewPasswordSchema>;

export const AcceptInvitationSchema = z
  .object({
    name: z.string({ required_error: "invite.nameRequired" }).trim().min(1, "invite.nameRequired").max(200),
    password: z.string({ required_error: "reset.tooShort" }).min(12, "reset.tooShort").max(1000),
    passwordConfirm: z.string().max(1000),
  })
  .refine((v) => v.password === v.passwordConfirm, { path: ["passwordConfirm"], message: "reset.mismatch" });
export type AcceptInvitationForm = z.infer<typeof AcceptInvitationSchema>;

export const InviteStaffSchema = z.object({
  email: z.string({ required_error: "login.emailRequired" }).trim().min(1, "login.emailRequired").email("login.emailInvalid").max(254),
  role: z.enum(["admin", "privacy_officer", "auditor"]),
});
export type InviteStaffForm = z.infer<typeof InviteStaffSchema>;

export const InvitePortalSchema = z.object({
  email: z.string({ required_error: "login.emailRequired" }).trim().min(1, "login.emailRequired").email("login.emailInvalid").max(254),
});
export type InvitePortalForm = z.infer<typeof InvitePortalSchema>;
