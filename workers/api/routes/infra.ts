import { createRoute, z } from "@hono/zod-openapi";
import { applyDnsRecords } from "../../infra/apply-dns.ts";
import { addDomain, getDomain, listDomains, removeDomain, suggestDomains } from "../../infra/domains.ts";
import { CreateHostedInput, createHostedMailboxes } from "../../infra/hosted-mailboxes.ts";
import { getNode, listNodes, setNodeMaintenance } from "../../infra/nodes.ts";
import { getRun, listRuns, StartProvisioningInput, startProvisioning } from "../../infra/provisioning.ts";
import { infraStatus } from "../../infra/sync.ts";
import { verifyDomain } from "../../infra/verify.ts";
import { MailboxDto } from "../../mailboxes/schemas.ts";
import { body, ERRORS, guard, IdParam, json } from "../openapi.ts";
import { newRouter } from "../router.ts";

const Record_ = z
  .object({
    id: z.string(),
    purpose: z.enum(["mx", "mail_host", "spf", "dkim", "dmarc", "tracking", "ptr"]),
    type: z.enum(["A", "AAAA", "MX", "TXT", "CNAME", "PTR"]),
    name: z.string(),
    value: z.string(),
    priority: z.number().nullable(),
    inDomain: z.boolean(),
    managedAt: z.enum(["zone", "provider"]),
    status: z.enum(["pending", "match", "mismatch", "missing", "error"]),
    found: z.string().nullable(),
    lastError: z.string().nullable(),
    attempts: z.number(),
    checkedAt: z.string().nullable(),
    appliedAt: z.string().nullable(),
  })
  .openapi("DnsRecord");

const Domain = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    name: z.string(),
    nodeId: z.string().nullable(),
    nodeHostname: z.string().nullable(),
    status: z.enum(["pending", "verified", "drift"]),
    dnsProvider: z.enum(["manual", "cloudflare"]),
    cloudflareZoneId: z.string().nullable(),
    dkimSelector: z.string(),
    dmarcRua: z.string(),
    mailboxes: z.number(),
    records: z.array(Record_),
    recordsOk: z.number(),
    recordsTotal: z.number(),
    checkedAt: z.string().nullable(),
    nextCheckAt: z.string(),
    verifiedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("SendingDomain");

const Node = z
  .object({
    id: z.string(),
    workspaceId: z.string().nullable(),
    name: z.string(),
    hostname: z.string(),
    status: z.enum(["provisioning", "active", "maintenance", "failed", "decommissioned"]),
    statusReason: z.string().nullable(),
    health: z.enum(["healthy", "unhealthy", "provisioning", "maintenance", "failed", "decommissioned"]),
    provider: z.literal("hostwinds"),
    providerServiceId: z.number().nullable(),
    mainIp: z.string().nullable(),
    ips: z.array(z.string()),
    dailyCapacity: z.number(),
    domains: z.number(),
    mailboxes: z.number(),
    lastHeartbeatAt: z.string().nullable(),
    heartbeat: z.record(z.string(), z.unknown()).nullable(),
    drift: z.string().nullable(),
    readyAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Node");

const Step = z.object({
  key: z.string(),
  label: z.string(),
  status: z.enum(["pending", "running", "done", "failed", "skipped", "rolled_back"]),
  attempts: z.number(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  detail: z.string().optional(),
  error: z.string().optional(),
});

const Run = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    nodeId: z.string().nullable(),
    domainId: z.string().nullable(),
    domainName: z.string(),
    status: z.enum(["running", "succeeded", "failed"]),
    size: z.enum(["small", "medium", "large"]),
    mailboxes: z.array(z.string()),
    applyDns: z.boolean(),
    steps: z.array(Step),
    log: z.array(z.object({ at: z.string(), level: z.enum(["info", "warn", "error"]), message: z.string() })),
    error: z.string().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi("ProvisioningRun");

const domainParam = IdParam("domainId", "dom_01JD…");
const nodeParam = IdParam("nodeId", "nod_01JD…");
const runParam = IdParam("runId", "run_01JD…");
const tags = ["Infrastructure"];

export const infraRoutes = newRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/domains",
      tags,
      summary: "Sending domains with their DNS records and verification state",
      ...guard("infra:read"),
      request: { query: z.object({ workspaceId: z.string().max(64).optional() }) },
      responses: { 200: json(z.object({ items: z.array(Domain) })), ...ERRORS },
    }),
    async (c) => c.json({ items: await listDomains(c.var.ctx, c.req.valid("query").workspaceId) }, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/domains/suggestions",
      tags,
      summary: "Cold-mail sub-domains to use instead of a root domain",
      ...guard("infra:read"),
      request: { query: z.object({ domain: z.string().min(3).max(253) }) },
      responses: { 200: json(z.object({ domain: z.string(), suggestions: z.array(z.string()) })), ...ERRORS },
    }),
    async (c) => c.json(suggestDomains(c.req.valid("query").domain), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/domains",
      tags,
      summary: "Add a sending domain on a healthy node (created on MailU with a 2048-bit DKIM key)",
      ...guard("infra:write"),
      request: {
        body: body(
          z.object({ workspaceId: z.string().min(1).max(64), name: z.string().min(3).max(253), nodeId: z.string().max(64).optional() }),
        ),
      },
      responses: { 201: json(Domain, "Added"), ...ERRORS },
    }),
    async (c) => c.json(await addDomain(c.var.ctx, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/domains/{domainId}",
      tags,
      summary: "A sending domain and its records",
      ...guard("infra:read"),
      request: { params: domainParam },
      responses: { 200: json(Domain), ...ERRORS },
    }),
    async (c) => c.json(await getDomain(c.var.ctx, c.req.param("domainId")), 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/domains/{domainId}",
      tags,
      summary: "Remove a domain without mailboxes (also from its MailU node)",
      ...guard("infra:write"),
      request: { params: domainParam },
      responses: { 200: json(z.object({ removed: z.literal(true) })), ...ERRORS },
    }),
    async (c) => c.json(await removeDomain(c.var.ctx, c.req.param("domainId")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/domains/{domainId}/verify",
      tags,
      summary: "Resolve every record now over DNS-over-HTTPS",
      ...guard("infra:write"),
      request: { params: domainParam },
      responses: { 200: json(Domain), ...ERRORS },
    }),
    async (c) => c.json(await verifyDomain(c.var.ctx, c.req.param("domainId")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/domains/{domainId}/dns/apply",
      tags,
      summary: "Publish the records through your Cloudflare API token (Zone.DNS Edit), then verify",
      ...guard("infra:write"),
      request: {
        params: domainParam,
        body: body(
          z.object({
            zoneId: z.string().min(1).max(64),
            apiToken: z.string().min(1).max(200).optional().openapi({ description: "Omit to reuse a remembered token" }),
            remember: z.boolean().optional().openapi({ description: "Keep the token (encrypted) for re-applying and rollback" }),
          }),
        ),
      },
      responses: { 200: json(Domain), ...ERRORS },
    }),
    async (c) => c.json(await applyDnsRecords(c.var.ctx, c.req.param("domainId"), c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/domains/{domainId}/mailboxes",
      tags,
      summary: "Create hosted mailboxes on the domain's node (bulk, up to 50)",
      ...guard("infra:write"),
      request: { params: domainParam, body: body(CreateHostedInput.omit({ domainId: true })) },
      responses: {
        200: json(
          z.object({
            results: z.array(
              z.object({
                email: z.string(),
                status: z.enum(["created", "exists", "failed"]),
                mailbox: MailboxDto.optional(),
                error: z.string().optional(),
              }),
            ),
          }),
        ),
        ...ERRORS,
      },
    }),
    async (c) => c.json(await createHostedMailboxes(c.var.ctx, { ...c.req.valid("json"), domainId: c.req.param("domainId") }), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/nodes",
      tags,
      summary: "SMTP nodes with health (heartbeat every 30 s; 3 missed = unhealthy)",
      ...guard("infra:read"),
      responses: { 200: json(z.object({ items: z.array(Node) })), ...ERRORS },
    }),
    async (c) => c.json({ items: await listNodes(c.var.ctx) }, 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/nodes/{nodeId}",
      tags,
      summary: "One node",
      ...guard("infra:read"),
      request: { params: nodeParam },
      responses: { 200: json(Node), ...ERRORS },
    }),
    async (c) => c.json(await getNode(c.var.ctx, c.req.param("nodeId")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/nodes/{nodeId}/maintenance",
      tags,
      summary: "Take a node out of rotation (maintenance) or put it back",
      ...guard("infra:write"),
      request: { params: nodeParam, body: body(z.object({ maintenance: z.boolean() })) },
      responses: { 200: json(Node), ...ERRORS },
    }),
    async (c) => c.json(await setNodeMaintenance(c.var.ctx, c.req.param("nodeId"), c.req.valid("json").maintenance), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/provisioning-runs",
      tags,
      summary: "Recent provisioning runs with step progress and log",
      ...guard("infra:read"),
      responses: { 200: json(z.object({ items: z.array(Run) })), ...ERRORS },
    }),
    async (c) => c.json({ items: await listRuns(c.var.ctx) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/provisioning-runs",
      tags,
      summary: "Provision a node: VPS → IP → rDNS → MailU → domain + DKIM → DNS → mailboxes",
      ...guard("infra:write"),
      request: { body: body(StartProvisioningInput) },
      responses: { 202: json(Run, "Started (or the live run for this domain)"), ...ERRORS },
    }),
    async (c) => c.json(await startProvisioning(c.var.ctx, c.req.valid("json"), c.env.PROVISION), 202),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/provisioning-runs/{runId}",
      tags,
      summary: "One provisioning run",
      ...guard("infra:read"),
      request: { params: runParam },
      responses: { 200: json(Run), ...ERRORS },
    }),
    async (c) => c.json(await getRun(c.var.ctx, c.req.param("runId")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/infrastructure/status",
      tags,
      summary: "Node health summary and the last provider sync",
      ...guard("infra:read"),
      responses: {
        200: json(
          z.object({
            nodes: z.object({ total: z.number(), healthy: z.number(), unhealthy: z.number(), provisioning: z.number() }),
            domains: z.object({ total: z.number(), verified: z.number(), pending: z.number(), drift: z.number() }),
            lastSync: z.object({ at: z.string(), status: z.enum(["running", "ok", "error"]), error: z.string().nullable() }).nullable(),
          }),
        ),
        ...ERRORS,
      },
    }),
    async (c) => c.json(await infraStatus(c.var.ctx), 200),
  );
