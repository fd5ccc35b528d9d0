/** Session and sign-in policy numbers (SPEC §4.1, §5 "Auth"). Tenant policy may tighten them later. */
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000; // tenant_policies.session_timeout_hours default 8
export const SESSION_ABSOLUTE_MS = 30 * 24 * 60 * 60 * 1000; // refresh lifetime 30 d
/** The longest idle timeout a tenant may choose (7 days); each tenant's own policy applies under it. */
export const SESSION_IDLE_CEILING_MS = 7 * 24 * 60 * 60 * 1000;
export const SESSION_TOUCH_EVERY_MS = 5 * 60 * 1000; // write last_seen_at at most every 5 min
export const LOCKOUT_AFTER_FAILURES = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;

export const sessionCookieName = (appUrl: string) => (appUrl.startsWith("https:") ? "__Host-pm_session" : "pm_session");
