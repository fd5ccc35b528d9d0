import { createRoute, z } from "@hono/zod-openapi";
import { launchCampaign, pauseCampaign, resumeCampaign, stopCampaign } from "../../campaigns/lifecycle.ts";
import { stepStats } from "../../campaigns/queries.ts";
import { CampaignDto, SaveCampaignInput, StepStat, UpdateCampaignInput } from "../../campaigns/schemas.ts";
import { retrySend } from "../../campaigns/sends.ts";
import { createCampaign, getCampaign, listCampaigns, updateCampaign } from "../../campaigns/service.ts";
import { body, ERRORS, guard, IdParam, json } from "../openapi.ts";
import { newRouter } from "../router.ts";

const cmpParam = IdParam("campaignId", "cmp_01JD…");
const Summary = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  status: z.string(),
  launchedAt: z.string().nullable(),
  stoppedAt: z.string().nullable(),
  stats: CampaignDto.shape.stats,
});

const action = (name: "launch" | "pause" | "resume" | "stop", summary: string) =>
  createRoute({
    method: "post",
    path: `/{campaignId}/${name}`,
    tags: ["Campaigns"],
    summary,
    ...guard("campaigns:write"),
    request: { params: cmpParam },
    responses: { 200: json(CampaignDto), 422: ERRORS[400], ...ERRORS },
  });

export const campaignRoutes = newRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/",
      tags: ["Campaigns"],
      summary: "Campaigns with live counts",
      ...guard("campaigns:read"),
      request: { query: z.object({ workspaceId: z.string().max(64).optional() }) },
      responses: { 200: json(z.object({ items: z.array(Summary) })), ...ERRORS },
    }),
    async (c) => c.json({ items: await listCampaigns(c.var.ctx, c.req.valid("query").workspaceId) }, 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/",
      tags: ["Campaigns"],
      summary: "Create a draft campaign",
      ...guard("campaigns:write"),
      request: { body: body(SaveCampaignInput) },
      responses: { 201: json(CampaignDto, "Created"), ...ERRORS },
    }),
    async (c) => c.json(await createCampaign(c.var.ctx, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{campaignId}",
      tags: ["Campaigns"],
      summary: "A campaign with steps, variants and counts",
      ...guard("campaigns:read"),
      request: { params: cmpParam },
      responses: { 200: json(CampaignDto), ...ERRORS },
    }),
    async (c) => c.json(await getCampaign(c.var.ctx, c.req.param("campaignId")), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/{campaignId}",
      tags: ["Campaigns"],
      summary: "Autosave a draft, or edit a running campaign (future sends only)",
      ...guard("campaigns:write"),
      request: { params: cmpParam, body: body(UpdateCampaignInput) },
      responses: { 200: json(CampaignDto), ...ERRORS },
    }),
    async (c) => c.json(await updateCampaign(c.var.ctx, c.req.param("campaignId"), c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/{campaignId}/steps",
      tags: ["Campaigns"],
      summary: "Counts per step and A/B variant: delivery outcomes, opens, clicks, replies, unsubscribes",
      ...guard("campaigns:read"),
      request: { params: cmpParam },
      responses: { 200: json(z.object({ items: z.array(StepStat) })), ...ERRORS },
    }),
    async (c) => c.json({ items: await stepStats(c.var.ctx, c.req.param("campaignId")) }, 200),
  )
  .openapi(action("launch", "Launch: checks everything, enrols the audience, starts sending"), async (c) =>
    c.json(await launchCampaign(c.var.ctx, c.env, c.req.param("campaignId")), 200),
  )
  .openapi(action("pause", "Pause sending"), async (c) => c.json(await pauseCampaign(c.var.ctx, c.env, c.req.param("campaignId")), 200))
  .openapi(action("resume", "Resume a paused campaign"), async (c) =>
    c.json(await resumeCampaign(c.var.ctx, c.env, c.req.param("campaignId")), 200),
  )
  .openapi(action("stop", "Stop for good (waiting sends are cancelled)"), async (c) =>
    c.json(await stopCampaign(c.var.ctx, c.env, c.req.param("campaignId")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/{campaignId}/sends/{sendId}/retry",
      tags: ["Campaigns"],
      summary: "Retry a failed (dead-lettered) or unknown send",
      ...guard("campaigns:write"),
      request: { params: cmpParam.extend(IdParam("sendId", "snd_01JD…").shape) },
      responses: { 200: json(z.object({ retried: z.literal(true) })), ...ERRORS },
    }),
    async (c) => c.json(await retrySend(c.var.ctx, c.env, c.req.param("campaignId"), c.req.param("sendId")), 200),
  );
