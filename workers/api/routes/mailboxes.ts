import { createRoute, z } from "@hono/zod-openapi";
import { CreateMailboxInput, MailboxDto, UpdateMailboxInput } from "../../mailboxes/schemas.ts";
import { createMailbox, deleteMailbox, getMailbox, listMailboxes, testMailbox, updateMailbox } from "../../mailboxes/service.ts";
import { body, ERRORS, guard, IdParam, json } from "../openapi.ts";
import { newRouter } from "../router.ts";

const mbxParam = IdParam("mailboxId", "mbx_01JD…");

export const mailboxRoutes = newRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags: ["Mailboxes"],
      summary: "Sending mailboxes (credentials are never returned)",
      ...guard("campaigns:read"),
      request: { query: z.object({ workspaceId: z.string().max(64).optional() }) },
      responses: { 200: json(z.object({ items: z.array(MailboxDto) })), ...ERRORS },
    }),
    async (c) => c.json({ items: await listMailboxes(c.var.ctx, c.req.valid("query").workspaceId) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags: ["Mailboxes"],
      summary: "Connect a mailbox (SMTP 587 STARTTLS or 465 TLS; passwords stored encrypted)",
      ...guard("campaigns:write"),
      request: { body: body(CreateMailboxInput) },
      responses: { 201: json(MailboxDto, "Connected"), ...ERRORS },
    }),
    async (c) => c.json(await createMailbox(c.var.ctx, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{mailboxId}",
      tags: ["Mailboxes"],
      summary: "Get a mailbox",
      ...guard("campaigns:read"),
      request: { params: mbxParam },
      responses: { 200: json(MailboxDto), ...ERRORS },
    }),
    async (c) => c.json(await getMailbox(c.var.ctx, c.req.param("mailboxId")), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/{mailboxId}",
      tags: ["Mailboxes"],
      summary: "Change settings, limits or credentials; pause or resume",
      ...guard("campaigns:write"),
      request: { params: mbxParam, body: body(UpdateMailboxInput) },
      responses: { 200: json(MailboxDto), ...ERRORS },
    }),
    async (c) => c.json(await updateMailbox(c.var.ctx, c.req.param("mailboxId"), c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{mailboxId}/test",
      tags: ["Mailboxes"],
      summary: "Test the connection for real (EHLO, STARTTLS, AUTH) and record the server's answer",
      ...guard("campaigns:write"),
      request: { params: mbxParam },
      responses: { 200: json(MailboxDto), ...ERRORS },
    }),
    async (c) => c.json(await testMailbox(c.var.ctx, c.req.param("mailboxId")), 200),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/{mailboxId}",
      tags: ["Mailboxes"],
      summary: "Disconnect a mailbox",
      ...guard("campaigns:write"),
      request: { params: mbxParam },
      responses: { 200: json(z.object({ deleted: z.literal(true) })), ...ERRORS },
    }),
    async (c) => c.json(await deleteMailbox(c.var.ctx, c.req.param("mailboxId")), 200),
  );
