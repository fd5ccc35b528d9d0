import { expect } from "vitest";
import { VendorError } from "../../../workers/integrations/errors.ts";

/** Awaits a rejection and asserts it is a VendorError. */
export async function vendorError(p: Promise<unknown>): Promise<VendorError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VendorError);
  return err as VendorError;
}

/** No secret anywhere a thrown error could end up: message, stack, fields, or the serialised error. */
export function expectNoSecrets(err: VendorError, secrets: readonly string[]): void {
  const surfaces = [err.message, String(err), err.stack ?? "", JSON.stringify(err), JSON.stringify(err.fields ?? {})];
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(3);
    for (const s of surfaces) expect(s).not.toContain(secret);
  }
}

/** A fetcher that fails the way undici does, quoting whatever it was given (URL, headers, body). */
export const leakyFailingFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
  throw new TypeError(`fetch failed: ${String(input)} ${JSON.stringify(init?.headers ?? {})} ${String(init?.body ?? "")}`);
}) as typeof fetch;
