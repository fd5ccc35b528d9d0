import { z } from "zod";
import { PASSWORD_MAX, PASSWORD_MIN } from "./password.ts";

/** Trimmed, lower-cased e-mail; the domain part is case-insensitive and we treat the local part so too. */
export const Email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: "Enter a valid e-mail address" }))
  .transform((v) => v.toLowerCase());

export const Password = z
  .string()
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters`);

export const SignInInput = z.object({
  email: Email,
  password: z.string().min(1, "Enter your password").max(PASSWORD_MAX),
});
export type SignInInput = z.infer<typeof SignInInput>;

export const SignUpInput = z.object({
  name: z.string().trim().min(1, "Enter your name").max(100),
  email: Email,
  password: Password,
  company: z.string().trim().min(1, "Enter your company name").max(100),
});
export type SignUpInput = z.infer<typeof SignUpInput>;
