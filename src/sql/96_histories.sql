-- ---------------------------------------------------------------------------
-- Scale-out: repeat_histories, the input of bgnbd_fit and gamma_gamma_fit
-- (distinct customer histories with their counts) as a stored type, so that
-- Citus workers (and parallel workers) compress their rows, the coordinator
-- merges them and bgnbd_fit(repeat_histories) / gamma_gamma_fit(...) fit:
-- the same parameters as the aggregates over the rows.  src/histories.c.
-- ---------------------------------------------------------------------------

CREATE TYPE repeat_histories;
CREATE FUNCTION repeat_histories_in(cstring) RETURNS repeat_histories
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION repeat_histories_out(repeat_histories) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION repeat_histories_recv(internal) RETURNS repeat_histories
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION repeat_histories_send(repeat_histories) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE repeat_histories (
	INPUT = repeat_histories_in, OUTPUT = repeat_histories_out,
	RECEIVE = repeat_histories_recv, SEND = repeat_histories_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE repeat_histories IS 'distinct customer histories with their counts, the input of bgnbd_fit (frequency, recency, T) or gamma_gamma_fit (frequency, monetary), sorted; text: JSON {"version", "kind", "skipped", "histories": [[values..., count], ...]}';
COMMENT ON FUNCTION repeat_histories_in(cstring) IS 'text input of repeat_histories (JSON)';
COMMENT ON FUNCTION repeat_histories_out(repeat_histories) IS 'text output of repeat_histories (JSON)';
COMMENT ON FUNCTION repeat_histories_recv(internal) IS 'binary input of repeat_histories';
COMMENT ON FUNCTION repeat_histories_send(repeat_histories) IS 'binary output of repeat_histories';

CREATE FUNCTION repeat_histories_trans(repeat_histories, float8, float8, float8) RETURNS repeat_histories
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION spend_histories_trans(repeat_histories, float8, float8) RETURNS repeat_histories
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION repeat_histories_combine(repeat_histories, repeat_histories) RETURNS repeat_histories
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION repeat_histories_final(repeat_histories) RETURNS repeat_histories
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION repeat_histories_trans(repeat_histories, float8, float8, float8) IS 'transition function of repeat_histories_agg';
COMMENT ON FUNCTION spend_histories_trans(repeat_histories, float8, float8) IS 'transition function of spend_histories_agg';
COMMENT ON FUNCTION repeat_histories_combine(repeat_histories, repeat_histories) IS 'combine function of repeat_histories_agg, spend_histories_agg and rollup(repeat_histories): merges the histories, adding counts';
COMMENT ON FUNCTION repeat_histories_final(repeat_histories) IS 'final function of the repeat_histories aggregates: the merged, stored form';

CREATE AGGREGATE repeat_histories_agg(frequency float8, recency float8, t float8) (
	SFUNC = repeat_histories_trans, STYPE = repeat_histories,
	FINALFUNC = repeat_histories_final, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = repeat_histories_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE repeat_histories_agg(float8, float8, float8) IS 'distinct BG/NBD customer histories (frequency, recency, T) with their counts, as bgnbd_fit validates and skips them (a NULL skips the row); bgnbd_fit(repeat_histories) fits them';
CREATE AGGREGATE spend_histories_agg(frequency float8, monetary float8) (
	SFUNC = spend_histories_trans, STYPE = repeat_histories,
	FINALFUNC = repeat_histories_final, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = repeat_histories_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE spend_histories_agg(float8, float8) IS 'distinct Gamma-Gamma spend histories (frequency, monetary) with their counts, as gamma_gamma_fit validates and skips them (NULL or frequency 0 skipped); gamma_gamma_fit(repeat_histories) fits them';
CREATE AGGREGATE rollup(repeat_histories) (
	SFUNC = repeat_histories_combine, STYPE = repeat_histories,
	FINALFUNC = repeat_histories_final, FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = repeat_histories_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE rollup(repeat_histories) IS 'merge of stored repeat_histories of one kind: the histories of all their customers';

CREATE FUNCTION bgnbd_fit(histories repeat_histories) RETURNS bgnbd_model
AS 'MODULE_PATHNAME', 'repeat_histories_bgnbd_fit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_fit(histories repeat_histories, l2 float8) RETURNS bgnbd_model
AS 'MODULE_PATHNAME', 'repeat_histories_bgnbd_fit' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit(histories repeat_histories) RETURNS gamma_gamma_model
AS 'MODULE_PATHNAME', 'repeat_histories_gamma_gamma_fit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit(histories repeat_histories, l2 float8) RETURNS gamma_gamma_model
AS 'MODULE_PATHNAME', 'repeat_histories_gamma_gamma_fit' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_fit(repeat_histories) IS 'maximum-likelihood BG/NBD fit of repeat_histories_agg(frequency, recency, t): the model bgnbd_fit over the rows gives';
COMMENT ON FUNCTION bgnbd_fit(repeat_histories, float8) IS 'BG/NBD fit of repeat_histories with an l2 penalty (as bgnbd_fit(frequency, recency, t, l2))';
COMMENT ON FUNCTION gamma_gamma_fit(repeat_histories) IS 'maximum-likelihood Gamma-Gamma fit of spend_histories_agg(frequency, monetary): the model gamma_gamma_fit over the rows gives';
COMMENT ON FUNCTION gamma_gamma_fit(repeat_histories, float8) IS 'Gamma-Gamma fit of repeat_histories with an l2 penalty (as gamma_gamma_fit(frequency, monetary, l2))';

CREATE FUNCTION histories_info(value repeat_histories,
	OUT kind text, OUT histories bigint, OUT customers bigint, OUT skipped bigint)
AS 'MODULE_PATHNAME', 'repeat_histories_info' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION histories_info(repeat_histories) IS 'what repeat_histories hold: kind (bgnbd or gamma_gamma), distinct histories, customers (the sum of their counts) and rows skipped';
