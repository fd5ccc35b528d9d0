import { cloudflareDns } from "../integrations/cloudflare-dns/client.ts";
import { dohResolver } from "../integrations/doh/client.ts";
import { hostwindsHttp } from "../integrations/hostwinds/client.ts";
import { mailuHttp } from "../integrations/mailu/client.ts";
import { type Ctx, masterKeys } from "../platform/context.ts";
import { AppError } from "../platform/errors.ts";
import { decryptSecret } from "../platform/secrets.ts";

/** Vendor ports built from configuration; every call site goes through these (fakes locally). */

export function hostwinds(ctx: Ctx) {
  const apiKey = ctx.config.HOSTWINDS_API_KEY;
  if (!apiKey) throw new AppError("UNAVAILABLE", "Provisioning is not configured on this platform (HOSTWINDS_API_KEY is unset).");
  return hostwindsHttp({ baseUrl: ctx.config.HOSTWINDS_API_URL, apiKey });
}

/** The node's MailU admin API: https://<mail host>/api/v1, or MAILU_API_URL (dev/test fake for every node). */
export async function mailuFor(ctx: Ctx, node: { hostname: string; mailuTokenEnc: string | null }) {
  if (!node.mailuTokenEnc) throw new AppError("CONFLICT", "This node has not finished bootstrapping yet (no MailU API token).");
  const token = await decryptSecret(await masterKeys(ctx), node.mailuTokenEnc);
  return mailuHttp({ baseUrl: ctx.config.MAILU_API_URL ?? `https://${node.hostname}/api/v1`, token });
}

export const resolver = (ctx: Ctx) => dohResolver(fetch, ctx.config.DOH_URL);

export const dnsZone = (ctx: Ctx, token: string) => cloudflareDns({ token }, fetch, ctx.config.CLOUDFLARE_API_URL);

/** Hostwinds product id for a node size (HOSTWINDS_PLAN_IDS). */
export function planId(ctx: Ctx, size: NodeSize): string {
  const map = Object.fromEntries(ctx.config.HOSTWINDS_PLAN_IDS.split(",").map((kv) => kv.split("=") as [string, string]));
  return map[size] ?? map.small!;
}

export type NodeSize = "small" | "medium" | "large";

/** Messages per day each size is sized for (SPEC §4.3: ≤5K / ≤25K / ≤100K). */
export const SIZE_CAPACITY: Record<NodeSize, number> = { small: 5_000, medium: 25_000, large: 100_000 };
