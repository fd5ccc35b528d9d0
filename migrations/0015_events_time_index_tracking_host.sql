DROP INDEX "tracking_domains_hostname_uq";--> statement-breakpoint
CREATE INDEX "email_events_tenant_at_idx" ON "email_events" USING btree ("tenant_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "tracking_domains_verified_host_uq" ON "tracking_domains" USING btree ("hostname") WHERE status = 'verified';--> statement-breakpoint
CREATE UNIQUE INDEX "tracking_domains_ws_host_uq" ON "tracking_domains" USING btree ("workspace_id","hostname");