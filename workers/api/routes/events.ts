import { createRoute, z } from "@hono/zod-openapi";
import { EventDto, EventsQuery, listEvents } from "../../campaigns/events.ts";
import { ERRORS, guard, json } from "../openapi.ts";
import { newRouter } from "../router.ts";

export const eventRoutes = newRouter().openapi(
  createRoute({
    method: "get",
    path: "/",
    tags: ["Events"],
    summary: "E-mail events (sent, opened, clicked, replied, bounced, complained, unsubscribed), newest first",
    ...guard("campaigns:read"),
    request: { query: EventsQuery },
    responses: { 200: json(z.object({ items: z.array(EventDto), nextCursor: z.string().nullable() })), ...ERRORS },
  }),
  async (c) => c.json(await listEvents(c.var.ctx, c.req.valid("query")), 200),
);
