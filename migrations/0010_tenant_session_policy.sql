ALTER TABLE "tenants" ADD COLUMN "session_idle_minutes" integer DEFAULT 480 NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "session_max_days" integer DEFAULT 30 NOT NULL;