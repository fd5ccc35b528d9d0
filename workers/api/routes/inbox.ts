import { createRoute, z } from "@hono/zod-openapi";
import { getThread, listThreads, replyToThread, updateThread } from "../../inbox/service.ts";
import { INBOX_CATEGORIES } from "../../inbox/tables.ts";
import { body, ERRORS, guard, IdParam, json } from "../openapi.ts";
import { newRouter } from "../router.ts";

const threadParam = IdParam("threadId", "thr_01JD…");
const ThreadDto = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    campaignId: z.string().nullable(),
    leadId: z.string().nullable(),
    mailboxId: z.string().nullable(),
    subject: z.string(),
    participant: z.string(),
    status: z.enum(["open", "archived"]),
    category: z.string().nullable(),
    unread: z.boolean(),
    assignedTo: z.string().nullable(),
    lastMessageAt: z.string(),
  })
  .openapi("InboxThread");
const MessageDto = z.object({
  id: z.string(),
  direction: z.enum(["in", "out"]),
  from: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  auto: z.boolean(),
  at: z.string(),
});

export const inboxRoutes = newRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags: ["Inbox"],
      summary: "Unified inbox: replies across all mailboxes",
      ...guard("campaigns:read"),
      request: {
        query: z.object({
          workspaceId: z.string().max(64).optional(),
          campaignId: z.string().max(64).optional(),
          mailboxId: z.string().max(64).optional(),
          status: z.enum(["open", "archived"]).optional(),
          category: z.enum(INBOX_CATEGORIES).optional(),
          unread: z
            .enum(["true", "false"])
            .transform((v) => v === "true")
            .optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(300).optional(),
        }),
      },
      responses: { 200: json(z.object({ items: z.array(ThreadDto), nextCursor: z.string().nullable() })), ...ERRORS },
    }),
    async (c) => c.json(await listThreads(c.var.ctx, c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{threadId}",
      tags: ["Inbox"],
      summary: "A conversation with its messages",
      ...guard("campaigns:read"),
      request: { params: threadParam },
      responses: { 200: json(ThreadDto.extend({ messages: z.array(MessageDto) })), ...ERRORS },
    }),
    async (c) => c.json(await getThread(c.var.ctx, c.req.param("threadId")), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/{threadId}",
      tags: ["Inbox"],
      summary: "Mark read/unread, archive, categorise, assign",
      ...guard("campaigns:write"),
      request: {
        params: threadParam,
        body: body(
          z.object({
            unread: z.boolean().optional(),
            status: z.enum(["open", "archived"]).optional(),
            category: z.enum(INBOX_CATEGORIES).nullable().optional(),
            assignedTo: z.string().max(64).nullable().optional(),
          }),
        ),
      },
      responses: { 200: json(ThreadDto), ...ERRORS },
    }),
    async (c) => c.json(await updateThread(c.var.ctx, c.req.param("threadId"), c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{threadId}/reply",
      tags: ["Inbox"],
      summary: "Reply through the conversation's mailbox (threaded)",
      ...guard("campaigns:write", { sessionOnly: true }),
      request: { params: threadParam, body: body(z.object({ text: z.string().trim().min(1).max(50_000) })) },
      responses: { 200: json(z.object({ sent: z.literal(true), messageId: z.string() })), ...ERRORS },
    }),
    async (c) => c.json(await replyToThread(c.var.ctx, c.req.param("threadId"), c.req.valid("json")), 200),
  );
