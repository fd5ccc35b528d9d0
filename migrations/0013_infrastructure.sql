CREATE TABLE "domain_records" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"domain_id" text NOT NULL,
	"purpose" text NOT NULL,
	"type" text NOT NULL,
	"name" text NOT NULL,
	"value" text NOT NULL,
	"priority" integer,
	"in_domain" boolean NOT NULL,
	"managed_at" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"found" text,
	"last_error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"checked_at" timestamp with time zone,
	"provider_record_id" text,
	"applied_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "domain_records" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "infra_nodes" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"workspace_id" text,
	"name" text NOT NULL,
	"hostname" text NOT NULL,
	"status" text DEFAULT 'provisioning' NOT NULL,
	"status_reason" text,
	"provider" text DEFAULT 'hostwinds' NOT NULL,
	"srvrname" text NOT NULL,
	"provider_service_id" integer,
	"provider_requested_at" timestamp with time zone,
	"main_ip" text,
	"ips" text[] DEFAULT '{}'::text[] NOT NULL,
	"daily_capacity" integer DEFAULT 5000 NOT NULL,
	"mailu_token_enc" text,
	"agent_token_hash" text,
	"bootstrap_nonce" text,
	"bootstrap_used_at" timestamp with time zone,
	"ready_at" timestamp with time zone,
	"last_heartbeat_at" timestamp with time zone,
	"heartbeat" jsonb,
	"drift" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "infra_nodes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "infra_sync_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"status" text DEFAULT 'running' NOT NULL,
	"error" text,
	"summary" jsonb
);
--> statement-breakpoint
CREATE TABLE "provisioning_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"workspace_id" text NOT NULL,
	"node_id" text,
	"domain_id" text,
	"domain_name" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"params" jsonb NOT NULL,
	"steps" jsonb NOT NULL,
	"log" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "provisioning_runs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "sending_domains" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"workspace_id" text NOT NULL,
	"name" text NOT NULL,
	"node_id" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"dkim_selector" text DEFAULT 'dkim' NOT NULL,
	"dkim_value" text,
	"dmarc_rua" text NOT NULL,
	"dns_provider" text DEFAULT 'manual' NOT NULL,
	"cloudflare_zone_id" text,
	"cloudflare_token_enc" text,
	"mailu_created" boolean DEFAULT false NOT NULL,
	"checked_at" timestamp with time zone,
	"next_check_at" timestamp with time zone DEFAULT now() NOT NULL,
	"verified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sending_domains" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "node_id" text;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "domain_id" text;--> statement-breakpoint
ALTER TABLE "domain_records" ADD CONSTRAINT "domain_records_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "domain_records" ADD CONSTRAINT "domain_records_domain_id_sending_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."sending_domains"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "infra_nodes" ADD CONSTRAINT "infra_nodes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "infra_nodes" ADD CONSTRAINT "infra_nodes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioning_runs" ADD CONSTRAINT "provisioning_runs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioning_runs" ADD CONSTRAINT "provisioning_runs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioning_runs" ADD CONSTRAINT "provisioning_runs_node_id_infra_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."infra_nodes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provisioning_runs" ADD CONSTRAINT "provisioning_runs_domain_id_sending_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."sending_domains"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sending_domains" ADD CONSTRAINT "sending_domains_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sending_domains" ADD CONSTRAINT "sending_domains_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sending_domains" ADD CONSTRAINT "sending_domains_node_id_infra_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."infra_nodes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "domain_records_domain_idx" ON "domain_records" USING btree ("tenant_id","domain_id");--> statement-breakpoint
CREATE UNIQUE INDEX "infra_nodes_srvrname_uq" ON "infra_nodes" USING btree ("srvrname");--> statement-breakpoint
CREATE INDEX "infra_nodes_tenant_idx" ON "infra_nodes" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "provisioning_runs_tenant_idx" ON "provisioning_runs" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "provisioning_runs_live_domain_uq" ON "provisioning_runs" USING btree ("domain_name") WHERE status = 'running';--> statement-breakpoint
CREATE UNIQUE INDEX "sending_domains_name_uq" ON "sending_domains" USING btree ("name");--> statement-breakpoint
CREATE INDEX "sending_domains_ws_idx" ON "sending_domains" USING btree ("tenant_id","workspace_id");--> statement-breakpoint
CREATE INDEX "sending_domains_due_idx" ON "sending_domains" USING btree ("next_check_at");--> statement-breakpoint
ALTER TABLE "mailboxes" ADD CONSTRAINT "mailboxes_node_id_infra_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."infra_nodes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD CONSTRAINT "mailboxes_domain_id_sending_domains_id_fk" FOREIGN KEY ("domain_id") REFERENCES "public"."sending_domains"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "domain_records" AS PERMISSIVE FOR ALL TO "pm_app" USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), ''));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "infra_nodes" AS PERMISSIVE FOR ALL TO "pm_app" USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), ''));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "provisioning_runs" AS PERMISSIVE FOR ALL TO "pm_app" USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), ''));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "sending_domains" AS PERMISSIVE FOR ALL TO "pm_app" USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), ''));