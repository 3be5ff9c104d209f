-- every report function, one query each (drivers.sh runs them through each driver)
SELECT * FROM journey_stages() ORDER BY ordinal
SELECT * FROM buying_roles() ORDER BY ordinal
SELECT * FROM buying_role_aliases() ORDER BY alias
SELECT * FROM segments() ORDER BY rank
SELECT r.* FROM drv_all, funnel_report(f) r ORDER BY stage_ordinal
SELECT r.* FROM drv_all, journey_timeline(j) r ORDER BY stay
SELECT (conversion_time_agg(j, 'awareness', 'decision')).* FROM drv_all
SELECT r.* FROM drv_all, committee_report(c) r ORDER BY role_ordinal
SELECT r.* FROM drv_all, model_coefficients(m) r ORDER BY term
SELECT r.* FROM drv_all, model_summary(m) r
SELECT r.* FROM drv_all, lift_table(l, 5) r ORDER BY bucket
SELECT r.* FROM drv_all, rfm_cut_points(rt) r ORDER BY dimension
SELECT r.* FROM drv_all, value_tier_report(vt) r ORDER BY tier_ordinal
SELECT r.* FROM drv_all, bgnbd_params(bg) r
SELECT r.* FROM drv_all, gamma_gamma_params(gg) r
SELECT (customer_summary_agg(ts, 10, timestamptz '2025-03-01 00:00:00+00')).* FROM generate_series(timestamptz '2025-01-01 00:00:00+00', timestamptz '2025-02-01 00:00:00+00', interval '5 days') ts
