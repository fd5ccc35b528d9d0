DROP INDEX "sends_tenant_lead_idx";--> statement-breakpoint
DROP INDEX "sends_campaign_status_idx";--> statement-breakpoint
CREATE INDEX "sends_lead_idx" ON "sends" USING btree ("lead_id");--> statement-breakpoint
CREATE INDEX "sends_tenant_sent_idx" ON "sends" USING btree ("tenant_id","sent_at") WHERE status = 'sent';--> statement-breakpoint
CREATE INDEX "sends_campaign_status_idx" ON "sends" USING btree ("campaign_id","status");