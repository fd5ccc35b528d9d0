import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { tenantPolicy } from "../platform/rls.ts";
import { tenants, workspaces } from "../tenants/tables.ts";

/**
 * Sending infrastructure: SMTP nodes (a MailU server on a Hostwinds VPS), sending domains with
 * their DNS records, provisioning runs and the nightly provider sync. See README.md.
 */

export type NodeHeartbeat = {
  version?: string;
  load1?: number;
  memUsedPct?: number;
  diskUsedPct?: number;
  queueDepth?: number;
  uptimeSeconds?: number;
};

export const infraNodes = pgTable(
  "infra_nodes",
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** Dedicated to one workspace (agencies), or null for every workspace of the tenant. */
    workspaceId: text().references(() => workspaces.id, { onDelete: "set null" }),
    name: text().notNull(),
    /** The HELO / PTR / MX host name, mail.<first domain>. */
    hostname: text().notNull(),
    status: text({ enum: ["provisioning", "active", "maintenance", "failed", "decommissioned"] })
      .notNull()
      .default("provisioning"),
    statusReason: text(),
    provider: text({ enum: ["hostwinds"] })
      .notNull()
      .default("hostwinds"),
    /** Our label at the provider (`pm-<node id>`): how a lost add_instance answer is found again. */
    srvrname: text().notNull(),
    providerServiceId: integer(),
    /** Set before add_instance is sent: a retry then looks the server up by srvrname instead of ordering another. */
    providerRequestedAt: timestamp({ withTimezone: true }),
    mainIp: text(),
    ips: text().array().notNull().default(sql`'{}'::text[]`),
    /** Messages per day the node is sized for (plan-sized VPS, SPEC §4.3). */
    dailyCapacity: integer().notNull().default(5000),
    mailuTokenEnc: text(),
    agentTokenHash: text(),
    /** One-time bootstrap: the nonce the signed URL carries; cleared when used. */
    bootstrapNonce: text(),
    bootstrapUsedAt: timestamp({ withTimezone: true }),
    readyAt: timestamp({ withTimezone: true }),
    lastHeartbeatAt: timestamp({ withTimezone: true }),
    heartbeat: jsonb().$type<NodeHeartbeat>(),
    /** Set by the nightly sync when the provider disagrees with us; null when in step. */
    drift: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("infra_nodes_srvrname_uq").on(t.srvrname), index("infra_nodes_tenant_idx").on(t.tenantId, t.status), tenantPolicy()],
).enableRLS();

export const sendingDomains = pgTable(
  "sending_domains",
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text().notNull(),
    nodeId: text().references(() => infraNodes.id, { onDelete: "set null" }),
    status: text({ enum: ["pending", "verified", "drift"] })
      .notNull()
      .default("pending"),
    dkimSelector: text().notNull().default("dkim"),
    /** `v=DKIM1; k=rsa; p=…` as MailU generated it (public half only; the private key stays on the node). */
    dkimValue: text(),
    dmarcRua: text().notNull(),
    /** Records are written by the customer (manual) or through their Cloudflare token. */
    dnsProvider: text({ enum: ["manual", "cloudflare"] })
      .notNull()
      .default("manual"),
    cloudflareZoneId: text(),
    cloudflareTokenEnc: text(),
    /** Created on the node's MailU (idempotency for provisioning and hosted mailboxes). */
    mailuCreated: boolean().notNull().default(false),
    checkedAt: timestamp({ withTimezone: true }),
    nextCheckAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    verifiedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("sending_domains_name_uq").on(t.name),
    index("sending_domains_ws_idx").on(t.tenantId, t.workspaceId),
    index("sending_domains_due_idx").on(t.nextCheckAt),
    tenantPolicy(),
  ],
).enableRLS();

export const domainRecords = pgTable(
  "domain_records",
  {
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    domainId: text()
      .notNull()
      .references(() => sendingDomains.id, { onDelete: "cascade" }),
    purpose: text({ enum: ["mx", "mail_host", "spf", "dkim", "dmarc", "tracking", "ptr"] }).notNull(),
    type: text({ enum: ["A", "AAAA", "MX", "TXT", "CNAME", "PTR"] }).notNull(),
    name: text().notNull(),
    value: text().notNull(),
    priority: integer(),
    /** false: the name lies outside the customer's zone (a shared mail host, a PTR). */
    inDomain: boolean().notNull(),
    managedAt: text({ enum: ["zone", "provider"] }).notNull(),
    status: text({ enum: ["pending", "match", "mismatch", "missing", "error"] })
      .notNull()
      .default("pending"),
    found: text(),
    lastError: text(),
    attempts: integer().notNull().default(0),
    checkedAt: timestamp({ withTimezone: true }),
    /** The record id at the DNS provider once we wrote it (rollback deletes exactly these). */
    providerRecordId: text(),
    appliedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("domain_records_domain_idx").on(t.tenantId, t.domainId), tenantPolicy()],
).enableRLS();

export type RunStep = {
  key: string;
  label: string;
  status: "pending" | "running" | "done" | "failed" | "skipped" | "rolled_back";
  attempts: number;
  startedAt?: string;
  finishedAt?: string;
  detail?: string;
  error?: string;
};
export type RunLog = { at: string; level: "info" | "warn" | "error"; message: string };

export const provisioningRuns = pgTable(
  "provisioning_runs",
  {
    /** Also the Workflow instance id: a second trigger for the same id cannot start a second run. */
    id: text().primaryKey(),
    tenantId: text()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    nodeId: text().references(() => infraNodes.id, { onDelete: "set null" }),
    domainId: text().references(() => sendingDomains.id, { onDelete: "set null" }),
    domainName: text().notNull(),
    status: text({ enum: ["running", "succeeded", "failed"] })
      .notNull()
      .default("running"),
    params: jsonb()
      .$type<{ size: "small" | "medium" | "large"; mailboxes: { localPart: string; fromName: string }[]; applyDns: boolean }>()
      .notNull(),
    steps: jsonb().$type<RunStep[]>().notNull(),
    log: jsonb().$type<RunLog[]>().notNull().default([]),
    error: text(),
    createdBy: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("provisioning_runs_tenant_idx").on(t.tenantId, t.createdAt),
    // One live run per domain name: a double-clicked "provision" finds the first run.
    uniqueIndex("provisioning_runs_live_domain_uq").on(t.domainName).where(sql`status = 'running'`),
    tenantPolicy(),
  ],
).enableRLS();

/** Platform-level: one row per nightly provider sync (no tenant data: counts and ids only). */
export const infraSyncRuns = pgTable("infra_sync_runs", {
  id: text().primaryKey(),
  startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp({ withTimezone: true }),
  status: text({ enum: ["running", "ok", "error"] })
    .notNull()
    .default("running"),
  error: text(),
  summary: jsonb().$type<{ instances: number; nodes: number; updated: number; drift: { nodeId: string; issue: string }[] }>(),
});
