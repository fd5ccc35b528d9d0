-- Cross-tenant reads for platform jobs (cron re-checks, the nightly provider sync). RLS hides
-- every tenant row from pm_app unless app.tenant_id is set, so these SECURITY DEFINER functions
-- (owned by the migrating role) return ids only; each job then opens one transaction per tenant.
CREATE OR REPLACE FUNCTION pm_due_domain_checks(due_before timestamptz, max_rows integer)
RETURNS TABLE (tenant_id text, domain_id text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT d.tenant_id, d.id FROM sending_domains d
  WHERE d.next_check_at <= due_before
  ORDER BY d.next_check_at
  LIMIT max_rows
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION pm_provider_nodes()
RETURNS TABLE (tenant_id text, node_id text, srvrname text, provider_service_id integer, status text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT n.tenant_id, n.id, n.srvrname, n.provider_service_id, n.status FROM infra_nodes n
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION pm_due_domain_checks(timestamptz, integer) FROM PUBLIC;--> statement-breakpoint
REVOKE ALL ON FUNCTION pm_provider_nodes() FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION pm_due_domain_checks(timestamptz, integer) TO pm_app;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION pm_provider_nodes() TO pm_app;
