-- Hourly re-verification of custom tracking domains (workers/tracking/recheck-domains.ts). Like
-- pm_due_domain_checks (0014): RLS hides other tenants' rows from pm_app, so this SECURITY DEFINER
-- function returns ids only — verified domains last checked before `checked_before` — and the cron
-- then reads and writes each one inside its own tenant's transaction.
CREATE OR REPLACE FUNCTION pm_due_tracking_domain_checks(checked_before timestamptz, max_rows integer)
RETURNS TABLE (tenant_id text, tracking_domain_id text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT d.tenant_id, d.id FROM tracking_domains d
  WHERE d.status = 'verified' AND (d.checked_at IS NULL OR d.checked_at <= checked_before)
  ORDER BY d.checked_at NULLS FIRST, d.id
  LIMIT max_rows
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION pm_due_tracking_domain_checks(timestamptz, integer) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION pm_due_tracking_domain_checks(timestamptz, integer) TO pm_app;
