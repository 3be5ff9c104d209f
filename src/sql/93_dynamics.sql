-- ---------------------------------------------------------------------------
-- journey dynamics (SPEC §10): stage transitions as an absorbing Markov chain,
-- Kaplan–Meier survival and Aalen–Johansen cumulative incidence
-- ---------------------------------------------------------------------------

CREATE TYPE stage_transitions;
CREATE FUNCTION stage_transitions_in(cstring) RETURNS stage_transitions
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_transitions_out(stage_transitions) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_transitions_recv(internal) RETURNS stage_transitions
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_transitions_send(stage_transitions) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE stage_transitions (
	INPUT = stage_transitions_in, OUTPUT = stage_transitions_out,
	RECEIVE = stage_transitions_recv, SEND = stage_transitions_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE stage_transitions IS 'moves between journey stages (and to lost or open) with the time spent before each move (text: JSON)';
COMMENT ON FUNCTION stage_transitions_in(cstring) IS 'text input of stage_transitions';
COMMENT ON FUNCTION stage_transitions_out(stage_transitions) IS 'text output of stage_transitions';
COMMENT ON FUNCTION stage_transitions_recv(internal) IS 'binary input of stage_transitions';
COMMENT ON FUNCTION stage_transitions_send(stage_transitions) IS 'binary output of stage_transitions';

CREATE FUNCTION stage_transitions_trans(stage_transitions, journey) RETURNS stage_transitions
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION stage_transitions_trans(stage_transitions, journey, interval, timestamptz) RETURNS stage_transitions
AS 'MODULE_PATHNAME', 'stage_transitions_trans_lost' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION stage_transitions_combine(stage_transitions, stage_transitions) RETURNS stage_transitions
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION stage_transitions_trans(stage_transitions, journey) IS 'transition function of stage_transitions_agg(journey)';
COMMENT ON FUNCTION stage_transitions_trans(stage_transitions, journey, interval, timestamptz) IS 'transition function of stage_transitions_agg(journey, lost_after, as_of)';
COMMENT ON FUNCTION stage_transitions_combine(stage_transitions, stage_transitions) IS 'combine function of stage_transitions_agg and rollup(stage_transitions)';

CREATE AGGREGATE stage_transitions_agg(j journey) (
	SFUNC = stage_transitions_trans, STYPE = stage_transitions,
	INITCOND = '{"journeys": 0, "moves": []}',
	COMBINEFUNC = stage_transitions_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE stage_transitions_agg(journey) IS 'stage transitions of journeys (each last stay counts as open, i.e. censored)';

CREATE AGGREGATE stage_transitions_agg(j journey, lost_after interval, as_of timestamptz) (
	SFUNC = stage_transitions_trans, STYPE = stage_transitions,
	INITCOND = '{"journeys": 0, "moves": []}',
	COMBINEFUNC = stage_transitions_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE stage_transitions_agg(journey, interval, timestamptz) IS 'stage transitions of journeys; a last stay before purchase idle longer than lost_after at as_of moves to lost';

CREATE AGGREGATE rollup(stage_transitions) (
	SFUNC = stage_transitions_combine, STYPE = stage_transitions,
	INITCOND = '{"journeys": 0, "moves": []}',
	COMBINEFUNC = stage_transitions_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE rollup(stage_transitions) IS 'merge stored stage_transitions (exact)';

CREATE FUNCTION journeys(stage_transitions) RETURNS bigint
AS 'MODULE_PATHNAME', 'stage_transitions_journeys' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION journeys(stage_transitions) IS 'journeys counted in the stage transitions';

CREATE FUNCTION transition_matrix(t stage_transitions,
	OUT from_stage journey_stage, OUT to_stage journey_stage, OUT destination text,
	OUT moves bigint, OUT probability float8, OUT mean_dwell interval)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'stage_transitions_matrix' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 20;
COMMENT ON FUNCTION transition_matrix(stage_transitions) IS 'one row per observed move: from_stage, to_stage (NULL for lost and open), destination (stage name, lost or open), moves, probability = moves / moves out of from_stage excluding open (NULL for open), mean time in from_stage before the move';

CREATE FUNCTION reach_probability(t stage_transitions, from_stage journey_stage,
	target journey_stage DEFAULT 'purchase') RETURNS float8
AS 'MODULE_PATHNAME', 'stage_transitions_reach' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION reach_probability(stage_transitions, journey_stage, journey_stage) IS 'probability of ever reaching target (or a later stage) from from_stage before being lost: h = N b of the absorbing chain, N = (I - Q)^-1 over the stages before target (NULL when from_stage has no observed moves out; ERROR 22023 when target precedes from_stage)';

CREATE FUNCTION expected_moves_to(t stage_transitions, from_stage journey_stage,
	target journey_stage DEFAULT 'purchase') RETURNS float8
AS 'MODULE_PATHNAME', 'stage_transitions_moves_to' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expected_moves_to(stage_transitions, journey_stage, journey_stage) IS 'expected number of moves to reach target from from_stage, among journeys that reach it: (N h)_from / h_from (NULL when target is never reached)';

CREATE FUNCTION expected_time_to(t stage_transitions, from_stage journey_stage,
	target journey_stage DEFAULT 'purchase') RETURNS interval
AS 'MODULE_PATHNAME', 'stage_transitions_time_to' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION expected_time_to(stage_transitions, journey_stage, journey_stage) IS 'semi-Markov expected time to reach target from from_stage, among journeys that reach it: (N c)_from / h_from, c_i = sum_j P(i,j) m(i,j) h_j, m(i,j) the mean dwell before a move i -> j (NULL when target is never reached)';

CREATE FUNCTION fundamental_matrix(t stage_transitions, target journey_stage DEFAULT 'purchase',
	OUT from_stage journey_stage, OUT to_stage journey_stage, OUT visits float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'stage_transitions_fundamental' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 36;
COMMENT ON FUNCTION fundamental_matrix(stage_transitions, journey_stage) IS 'N = (I - Q)^-1 of the chain toward target: expected visits to to_stage starting from from_stage, over the stages before target with observed moves';

-- ---------------------------------------------------------------------------
-- survival: Kaplan–Meier over durations with censoring
-- ---------------------------------------------------------------------------

CREATE TYPE survival;
CREATE FUNCTION survival_in(cstring) RETURNS survival
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_out(survival) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_recv(internal) RETURNS survival
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survival_send(survival) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE survival (
	INPUT = survival_in, OUTPUT = survival_out,
	RECEIVE = survival_recv, SEND = survival_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE survival IS 'Kaplan–Meier data: event and censoring counts at each distinct duration (text: JSON, times in microseconds)';
COMMENT ON FUNCTION survival_in(cstring) IS 'text input of survival';
COMMENT ON FUNCTION survival_out(survival) IS 'text output of survival';
COMMENT ON FUNCTION survival_recv(internal) IS 'binary input of survival';
COMMENT ON FUNCTION survival_send(survival) IS 'binary output of survival';

CREATE FUNCTION survival_trans(survival, interval, boolean) RETURNS survival
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survival_combine(survival, survival) RETURNS survival
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survival_final(survival) RETURNS survival
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION survival_trans(survival, interval, boolean) IS 'transition function of survival_agg';
COMMENT ON FUNCTION survival_combine(survival, survival) IS 'combine function of survival_agg and rollup(survival)';
COMMENT ON FUNCTION survival_final(survival) IS 'final function of survival_agg and rollup(survival): sort and merge into the stored form';

-- SSPACE: the state grows with the distinct durations (see journey_agg).
CREATE AGGREGATE survival_agg(duration interval, event boolean) (
	SFUNC = survival_trans, STYPE = survival, SSPACE = 8192,
	COMBINEFUNC = survival_combine, FINALFUNC = survival_final,
	FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE survival_agg(interval, boolean) IS 'Kaplan–Meier data of durations; event = false is a censoring (still open); a NULL duration or event is skipped and counted';

CREATE AGGREGATE rollup(survival) (
	SFUNC = survival_combine, STYPE = survival, SSPACE = 8192,
	COMBINEFUNC = survival_combine, FINALFUNC = survival_final,
	FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE rollup(survival) IS 'merge stored survival values (exact)';

CREATE FUNCTION survival_table(s survival,
	OUT "time" interval, OUT at_risk bigint, OUT events bigint, OUT censored bigint,
	OUT survival float8, OUT lower float8, OUT upper float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'survival_table' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION survival_table(survival) IS 'Kaplan–Meier table, one row per distinct time: at risk just before it (events before censorings at one time, as lifelines), S(t) = prod (1 - d/n), and the 95% exponential Greenwood (log-log) interval S^exp(-+1.96 sqrt(V)/log S), V = sum d/(n(n-d)), as lifelines';

CREATE FUNCTION survival_at(s survival, t interval) RETURNS float8
AS 'MODULE_PATHNAME', 'survival_at' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION survival_at(survival, interval) IS 'Kaplan–Meier S(t): share still without the event after duration t';

CREATE FUNCTION median_survival(s survival) RETURNS interval
AS 'MODULE_PATHNAME', 'survival_median' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION median_survival(survival) IS 'first time at which S(t) <= 0.5 (NULL when the survival never falls to 0.5, e.g. with no events)';

CREATE FUNCTION observations(s survival) RETURNS bigint
AS 'MODULE_PATHNAME', 'survival_observations' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION observations(survival) IS 'durations counted (events and censorings)';

-- ---------------------------------------------------------------------------
-- cumulative_incidence: Aalen–Johansen with competing outcomes
-- ---------------------------------------------------------------------------

CREATE TYPE cumulative_incidence;
CREATE FUNCTION cumulative_incidence_in(cstring) RETURNS cumulative_incidence
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cumulative_incidence_out(cumulative_incidence) RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cumulative_incidence_recv(internal) RETURNS cumulative_incidence
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cumulative_incidence_send(cumulative_incidence) RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE cumulative_incidence (
	INPUT = cumulative_incidence_in, OUTPUT = cumulative_incidence_out,
	RECEIVE = cumulative_incidence_recv, SEND = cumulative_incidence_send,
	INTERNALLENGTH = VARIABLE, ALIGNMENT = double, STORAGE = extended
);
COMMENT ON TYPE cumulative_incidence IS 'competing-risks data: counts of each outcome and of censorings at each distinct duration (text: JSON, times in microseconds)';
COMMENT ON FUNCTION cumulative_incidence_in(cstring) IS 'text input of cumulative_incidence';
COMMENT ON FUNCTION cumulative_incidence_out(cumulative_incidence) IS 'text output of cumulative_incidence';
COMMENT ON FUNCTION cumulative_incidence_recv(internal) IS 'binary input of cumulative_incidence';
COMMENT ON FUNCTION cumulative_incidence_send(cumulative_incidence) IS 'binary output of cumulative_incidence';

CREATE FUNCTION cumulative_incidence_trans(cumulative_incidence, interval, text) RETURNS cumulative_incidence
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cumulative_incidence_combine(cumulative_incidence, cumulative_incidence) RETURNS cumulative_incidence
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cumulative_incidence_final(cumulative_incidence) RETURNS cumulative_incidence
AS 'MODULE_PATHNAME', 'survival_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION cumulative_incidence_trans(cumulative_incidence, interval, text) IS 'transition function of cumulative_incidence_agg';
COMMENT ON FUNCTION cumulative_incidence_combine(cumulative_incidence, cumulative_incidence) IS 'combine function of cumulative_incidence_agg and rollup(cumulative_incidence)';
COMMENT ON FUNCTION cumulative_incidence_final(cumulative_incidence) IS 'final function of cumulative_incidence_agg and rollup(cumulative_incidence)';

CREATE AGGREGATE cumulative_incidence_agg(duration interval, outcome text) (
	SFUNC = cumulative_incidence_trans, STYPE = cumulative_incidence, SSPACE = 8192,
	COMBINEFUNC = cumulative_incidence_combine, FINALFUNC = cumulative_incidence_final,
	FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE cumulative_incidence_agg(interval, text) IS 'competing-risks data of durations; outcome names the event (e.g. won, lost), NULL is a censoring (still open); a NULL duration is skipped and counted';

CREATE AGGREGATE rollup(cumulative_incidence) (
	SFUNC = cumulative_incidence_combine, STYPE = cumulative_incidence, SSPACE = 8192,
	COMBINEFUNC = cumulative_incidence_combine, FINALFUNC = cumulative_incidence_final,
	FINALFUNC_MODIFY = READ_ONLY,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE rollup(cumulative_incidence) IS 'merge stored cumulative_incidence values (exact)';

CREATE FUNCTION cumulative_incidence_table(c cumulative_incidence,
	OUT "time" interval, OUT outcome text, OUT at_risk bigint, OUT incidence float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'cumulative_incidence_table' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 200;
COMMENT ON FUNCTION cumulative_incidence_table(cumulative_incidence) IS 'Aalen–Johansen cumulative incidence of each outcome at each distinct time: F_k(t) = sum_{t_i <= t} S(t_i-) d_ki / n_i, S the all-cause Kaplan–Meier';
