-- Plan limits (SPEC decision 5 and §4.17). Prices live in Stripe; these are the enforced numbers.
-- NULL = unlimited. The trial runs with Starter's limits but with API access, so it can be evaluated.
INSERT INTO plans (slug, name, max_users, max_workspaces, max_domains, emails_per_month, api_access, api_per_minute, api_burst) VALUES
  ('trial',        'Trial',        2,    3,    5,    10000,  true,  60,   100),
  ('starter',      'Starter',      2,    3,    5,    10000,  false, 60,   100),
  ('professional', 'Professional', 5,    10,   15,   50000,  true,  300,  500),
  ('business',     'Business',     15,   NULL, NULL, 200000, true,  1000, 2000),
  ('enterprise',   'Enterprise',   NULL, NULL, NULL, NULL,   true,  1000, 2000)
ON CONFLICT (slug) DO NOTHING;
