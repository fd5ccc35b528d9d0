import type { z } from "zod";
import { scrubSecrets, VendorError, type VendorName } from "./errors.ts";

/** Shared plumbing for the vendor clients: one fetch, body read once, JSON when it parses. */
export type Fetcher = typeof fetch;

export interface VendorResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body, or undefined when the body is not JSON (HTML error pages). */
  json: unknown;
}

export const joinUrl = (base: string, path: string): string => `${base.replace(/\/+$/, "")}${path}`;

export async function send(
  vendor: VendorName,
  fetcher: Fetcher,
  url: string,
  init: RequestInit,
  secrets: readonly string[],
): Promise<VendorResponse> {
  let res: Response;
  let text: string;
  try {
    res = await fetcher(url, init);
    text = await res.text();
  } catch (err) {
    // Network errors may quote the request (URL, headers): scrub before the message goes anywhere.
    throw new VendorError(vendor, "unavailable", null, scrubSecrets(`request failed: ${(err as Error)?.message ?? String(err)}`, secrets));
  }
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/**
 * zod-parses a vendor response. A mismatch means the vendor's API drifted: we name the paths that
 * failed, never the values (which may be tokens), and call it `unavailable` so nothing acts on it.
 */
export function parseBody<S extends z.ZodType>(vendor: VendorName, schema: S, value: unknown, what: string, status: number): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const paths = r.error.issues
    .slice(0, 3)
    .map((i) => i.path.join(".") || "(root)")
    .join(", ");
  throw new VendorError(vendor, "unavailable", status, `unexpected ${what} response (${paths})`);
}
