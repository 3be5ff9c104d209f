-- ---------------------------------------------------------------------------
-- repeat purchase: customer_summary_agg, BG/NBD, Gamma-Gamma, CLV (doc/design.md §7)
-- ---------------------------------------------------------------------------

-- customer_summary_agg(ts, amount, observation_end): lifetimes' summary in days
CREATE TYPE customer_summary AS (
	frequency integer,
	recency integer,
	t integer,
	monetary_value float8,
	first_purchase timestamptz,
	last_purchase timestamptz,
	total float8,
	orders bigint
);
COMMENT ON TYPE customer_summary IS 'one customer''s orders as lifetimes summarises them, in days: frequency (repeat purchase days), recency, t (age), monetary_value (mean repeat-day total), first/last purchase, total, orders';

CREATE FUNCTION customer_summary_trans(internal, timestamptz, numeric, timestamptz) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION customer_summary_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION customer_summary_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_summary_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION customer_summary_final(internal) RETURNS customer_summary
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION customer_summary_trans(internal, timestamptz, numeric, timestamptz) IS 'transition function of customer_summary_agg';
COMMENT ON FUNCTION customer_summary_combine(internal, internal) IS 'combine function of customer_summary_agg';
COMMENT ON FUNCTION customer_summary_serialize(internal) IS 'serialize function of customer_summary_agg';
COMMENT ON FUNCTION customer_summary_deserialize(bytea, internal) IS 'deserialize function of customer_summary_agg';
COMMENT ON FUNCTION customer_summary_final(internal) IS 'final function of customer_summary_agg';

CREATE AGGREGATE customer_summary_agg(ts timestamptz, amount numeric, observation_end timestamptz) (
	SFUNC = customer_summary_trans, STYPE = internal,
	FINALFUNC = customer_summary_final, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = customer_summary_combine,
	SERIALFUNC = customer_summary_serialize, DESERIALFUNC = customer_summary_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE customer_summary_agg(timestamptz, numeric, timestamptz) IS 'one customer''s orders summarised as lifetimes'' summary_data_from_transaction_data (days in the session time zone; orders after observation_end''s day left out; NULL when none)';

-- the model types
CREATE TYPE bgnbd_model;
CREATE FUNCTION bgnbd_model_in(cstring) RETURNS bgnbd_model
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_model_out(bgnbd_model) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_model_recv(internal) RETURNS bgnbd_model
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_model_send(bgnbd_model) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE bgnbd_model (
	INPUT = bgnbd_model_in, OUTPUT = bgnbd_model_out,
	RECEIVE = bgnbd_model_recv, SEND = bgnbd_model_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = plain
);
COMMENT ON TYPE bgnbd_model IS 'fitted BG/NBD repeat-purchase model (text: JSON with r, alpha, a, b and fit diagnostics)';
COMMENT ON FUNCTION bgnbd_model_in(cstring) IS 'text input of bgnbd_model';
COMMENT ON FUNCTION bgnbd_model_out(bgnbd_model) IS 'text output of bgnbd_model';
COMMENT ON FUNCTION bgnbd_model_recv(internal) IS 'binary input of bgnbd_model';
COMMENT ON FUNCTION bgnbd_model_send(bgnbd_model) IS 'binary output of bgnbd_model';

CREATE TYPE gamma_gamma_model;
CREATE FUNCTION gamma_gamma_model_in(cstring) RETURNS gamma_gamma_model
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_model_out(gamma_gamma_model) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_model_recv(internal) RETURNS gamma_gamma_model
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_model_send(gamma_gamma_model) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE gamma_gamma_model (
	INPUT = gamma_gamma_model_in, OUTPUT = gamma_gamma_model_out,
	RECEIVE = gamma_gamma_model_recv, SEND = gamma_gamma_model_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = plain
);
COMMENT ON TYPE gamma_gamma_model IS 'fitted Gamma-Gamma spend model (text: JSON with p, q, v and fit diagnostics)';
COMMENT ON FUNCTION gamma_gamma_model_in(cstring) IS 'text input of gamma_gamma_model';
COMMENT ON FUNCTION gamma_gamma_model_out(gamma_gamma_model) IS 'text output of gamma_gamma_model';
COMMENT ON FUNCTION gamma_gamma_model_recv(internal) IS 'binary input of gamma_gamma_model';
COMMENT ON FUNCTION gamma_gamma_model_send(gamma_gamma_model) IS 'binary output of gamma_gamma_model';

-- the fits: distinct histories with counts, maximum likelihood in the final function
CREATE FUNCTION bgnbd_fit_trans(internal, float8, float8, float8) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgnbd_fit_trans(internal, float8, float8, float8, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'bgnbd_fit_trans_l2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_trans(internal, float8, float8) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_trans(internal, float8, float8, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'gamma_gamma_fit_trans_l2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION repeat_fit_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION repeat_fit_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION repeat_fit_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_fit_final(internal) RETURNS bgnbd_model
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_final(internal) RETURNS gamma_gamma_model
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_fit_trans(internal, float8, float8, float8) IS 'transition function of bgnbd_fit';
COMMENT ON FUNCTION bgnbd_fit_trans(internal, float8, float8, float8, float8) IS 'transition function of bgnbd_fit with an l2 penalty';
COMMENT ON FUNCTION gamma_gamma_fit_trans(internal, float8, float8) IS 'transition function of gamma_gamma_fit';
COMMENT ON FUNCTION gamma_gamma_fit_trans(internal, float8, float8, float8) IS 'transition function of gamma_gamma_fit with an l2 penalty';
COMMENT ON FUNCTION repeat_fit_combine(internal, internal) IS 'combine function of bgnbd_fit and gamma_gamma_fit';
COMMENT ON FUNCTION repeat_fit_serialize(internal) IS 'serialize function of bgnbd_fit and gamma_gamma_fit';
COMMENT ON FUNCTION repeat_fit_deserialize(bytea, internal) IS 'deserialize function of bgnbd_fit and gamma_gamma_fit';
COMMENT ON FUNCTION bgnbd_fit_final(internal) IS 'final function of bgnbd_fit: maximum-likelihood fit';
COMMENT ON FUNCTION gamma_gamma_fit_final(internal) IS 'final function of gamma_gamma_fit: maximum-likelihood fit';

CREATE AGGREGATE bgnbd_fit(frequency float8, recency float8, t float8) (
	SFUNC = bgnbd_fit_trans, STYPE = internal,
	FINALFUNC = bgnbd_fit_final, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = repeat_fit_combine,
	SERIALFUNC = repeat_fit_serialize, DESERIALFUNC = repeat_fit_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE bgnbd_fit(float8, float8, float8) IS 'maximum-likelihood BG/NBD fit, one row per customer (frequency, recency, T in one time unit)';
CREATE AGGREGATE bgnbd_fit(frequency float8, recency float8, t float8, l2 float8) (
	SFUNC = bgnbd_fit_trans, STYPE = internal,
	FINALFUNC = bgnbd_fit_final, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = repeat_fit_combine,
	SERIALFUNC = repeat_fit_serialize, DESERIALFUNC = repeat_fit_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE bgnbd_fit(float8, float8, float8, float8) IS 'BG/NBD fit with an l2 penalty on the parameters (lifetimes'' penalizer_coef)';

CREATE AGGREGATE gamma_gamma_fit(frequency float8, monetary float8) (
	SFUNC = gamma_gamma_fit_trans, STYPE = internal,
	FINALFUNC = gamma_gamma_fit_final, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = repeat_fit_combine,
	SERIALFUNC = repeat_fit_serialize, DESERIALFUNC = repeat_fit_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE gamma_gamma_fit(float8, float8) IS 'maximum-likelihood Gamma-Gamma spend fit (customers with frequency > 0; the others are skipped)';
CREATE AGGREGATE gamma_gamma_fit(frequency float8, monetary float8, l2 float8) (
	SFUNC = gamma_gamma_fit_trans, STYPE = internal,
	FINALFUNC = gamma_gamma_fit_final, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = repeat_fit_combine,
	SERIALFUNC = repeat_fit_serialize, DESERIALFUNC = repeat_fit_deserialize,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE gamma_gamma_fit(float8, float8, float8) IS 'Gamma-Gamma fit with an l2 penalty on the parameters (lifetimes'' penalizer_coef)';

-- accessors and predictions
CREATE FUNCTION bgnbd_params(model bgnbd_model,
	OUT r float8, OUT alpha float8, OUT a float8, OUT b float8,
	OUT log_likelihood float8, OUT customers bigint, OUT skipped bigint,
	OUT iterations integer, OUT converged boolean, OUT l2 float8)
AS 'MODULE_PATHNAME', 'bgnbd_model_params' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_params(bgnbd_model) IS 'parameters and fit diagnostics of a BG/NBD model';

CREATE FUNCTION gamma_gamma_params(model gamma_gamma_model,
	OUT p float8, OUT q float8, OUT v float8,
	OUT log_likelihood float8, OUT customers bigint, OUT skipped bigint,
	OUT iterations integer, OUT converged boolean, OUT l2 float8)
AS 'MODULE_PATHNAME', 'gamma_gamma_model_params' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION gamma_gamma_params(gamma_gamma_model) IS 'parameters and fit diagnostics of a Gamma-Gamma model';

CREATE FUNCTION p_alive(model bgnbd_model, frequency float8, recency float8, t float8) RETURNS propensity
AS 'MODULE_PATHNAME', 'bgnbd_p_alive_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION p_alive(bgnbd_model, float8, float8, float8) IS 'probability that the customer is still active (1 with no repeat purchase)';

CREATE FUNCTION expected_purchases(model bgnbd_model, horizon float8, frequency float8, recency float8, t float8) RETURNS float8
AS 'MODULE_PATHNAME', 'bgnbd_expected_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expected_purchases(bgnbd_model, float8, float8, float8, float8) IS 'expected repeat purchases of this customer in the next horizon (BG/NBD eq. 10)';

CREATE FUNCTION expected_purchases_new(model bgnbd_model, horizon float8) RETURNS float8
AS 'MODULE_PATHNAME', 'bgnbd_expected_purchases_new' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expected_purchases_new(bgnbd_model, float8) IS 'expected repeat purchases of a newly acquired customer within horizon (BG/NBD eq. 9)';

CREATE FUNCTION prob_purchases(model bgnbd_model, n integer, horizon float8) RETURNS float8
AS 'MODULE_PATHNAME', 'bgnbd_prob_purchases' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION prob_purchases(bgnbd_model, integer, float8) IS 'probability that a newly acquired customer makes exactly n repeat purchases within horizon (BG/NBD eq. 8)';

CREATE FUNCTION expected_spend(model gamma_gamma_model, frequency float8, monetary float8) RETURNS float8
AS 'MODULE_PATHNAME', 'gamma_gamma_expected_spend' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expected_spend(gamma_gamma_model, float8, float8) IS 'expected spend per purchase given the customer''s repeat purchases and their mean spend';

CREATE FUNCTION clv(transactions bgnbd_model, spend gamma_gamma_model,
	frequency float8, recency float8, t float8, monetary float8,
	months integer, monthly_discount float8, time_unit text DEFAULT 'days') RETURNS float8
AS 'MODULE_PATHNAME', 'bgnbd_clv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION clv(bgnbd_model, gamma_gamma_model, float8, float8, float8, float8, integer, float8, text) IS 'customer lifetime value over the next months, discounted monthly (lifetimes'' customer_lifetime_value)';
