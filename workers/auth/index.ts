/** The auth domain's public surface. */
export { sessionCookieName } from "./constants.ts";
export { hashPassword, verifyPassword } from "./password.ts";
export { SignInInput, SignUpInput } from "./schemas.ts";
export { resolveSession, revokeSession } from "./sessions.ts";
export { signIn } from "./sign-in.ts";
export { signUp } from "./sign-up.ts";
