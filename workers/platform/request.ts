import { newId } from "./ids.ts";

/** Accepts a caller's X-Request-Id only when it is short and plain, so logs cannot be forged. */
export function requestIdFrom(req: Request): string {
  const given = req.headers.get("x-request-id");
  return given && /^[\w.-]{8,64}$/.test(given) ? given : newId("req");
}

export function clientIp(req: Request): string | null {
  return req.headers.get("cf-connecting-ip") ?? req.headers.get("x-real-ip") ?? null;
}
