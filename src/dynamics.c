/*
 * dynamics.c — the stage_transitions summary type (SPEC §10):
 * stage_transitions_agg(journey [, lost_after, as_of]), rollup, and the
 * chain accessors transition_matrix, reach_probability, expected_moves_to,
 * expected_time_to and fundamental_matrix.
 *
 * The state is bounded (7 stages x 9 destinations of move counts and
 * 128-bit dwell-time sums), so the stored type itself is the STYPE, updated
 * in place in the aggregate context and added exactly by the combine
 * function (SPEC §1: Citus ships it as text).  The math is in
 * dynamics_core.c.
 */
#include "b2btarget.h"

#include <math.h>

#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "dynamics.h"
#include "dynamics_core.h"
#include "journey.h"
#include "json_core.h"
#include "stage_core.h"

PG_FUNCTION_INFO_V1(stage_transitions_in);
PG_FUNCTION_INFO_V1(stage_transitions_out);
PG_FUNCTION_INFO_V1(stage_transitions_recv);
PG_FUNCTION_INFO_V1(stage_transitions_send);
PG_FUNCTION_INFO_V1(stage_transitions_trans);
PG_FUNCTION_INFO_V1(stage_transitions_trans_lost);
PG_FUNCTION_INFO_V1(stage_transitions_combine);
PG_FUNCTION_INFO_V1(stage_transitions_journeys);
PG_FUNCTION_INFO_V1(stage_transitions_matrix);
PG_FUNCTION_INFO_V1(stage_transitions_reach);
PG_FUNCTION_INFO_V1(stage_transitions_moves_to);
PG_FUNCTION_INFO_V1(stage_transitions_time_to);
PG_FUNCTION_INFO_V1(stage_transitions_fundamental);

#define ST_VERSION 1

typedef struct StageTransitions
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		nstages;
	uint8		ndest;
	uint8		reserved;		/* 0 */
	DynTable	t;
} StageTransitions;

#define ST_SIZE sizeof(StageTransitions)
#define ST_BINARY_SIZE (3 + 8 + B2B_NSTAGES * DYN_NDEST * 24)

static const char *st_hint =
"A stage_transitions value is JSON: {\"journeys\": 2, \"moves\": [{\"from\": \"awareness\", \"to\": \"consideration\", \"moves\": 1, \"dwell_us\": 86400000000}, ...]}, \"to\" a stage, \"lost\" or \"open\"; build it with stage_transitions_agg(journey).";

/* ---------------------------------------------------------------------
 * Shared glue helpers (dynamics.h)
 * --------------------------------------------------------------------- */

int64
dyn_interval_usecs(const Interval *iv, const char *what, bool allow_negative)
{
	int64		d,
				r;

#ifdef INTERVAL_NOT_FINITE
	if (INTERVAL_NOT_FINITE(iv))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s cannot be infinite", what),
				 errhint("Give a finite interval, or filter such rows out.")));
#endif
	if (pg_mul_s64_overflow((int64) iv->month * 30 + iv->day, USECS_PER_DAY, &d) ||
		pg_add_s64_overflow(d, iv->time, &r))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s %s is out of range", what,
						DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(iv)))),
				 errhint("Intervals are counted in microseconds (a month as 30 days) and must fit in 64 bits.")));
	if (r < 0 && !allow_negative)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %s is negative", what,
						DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(iv)))),
				 errhint("Give a duration of zero or more, e.g. closed_at - created_at with closed_at >= created_at.")));
	return r;
}

Interval *
dyn_usecs_interval(int64 us)
{
	Interval   *r = (Interval *) palloc(sizeof(Interval));

	r->month = 0;
	r->day = (int32) (us / USECS_PER_DAY);
	r->time = us % USECS_PER_DAY;
	return r;
}

/* ---------------------------------------------------------------------
 * The type
 * --------------------------------------------------------------------- */

static StageTransitions *
st_new(void)
{
	StageTransitions *st = (StageTransitions *) palloc0(ST_SIZE);

	SET_VARSIZE(st, ST_SIZE);
	st->version = ST_VERSION;
	st->nstages = B2B_NSTAGES;
	st->ndest = DYN_NDEST;
	return st;
}

static StageTransitions *
st_validate(StageTransitions *st)
{
	const char *e;

	if (VARSIZE(st) != ST_SIZE)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stage_transitions value has size %u, expected %u",
						(unsigned) VARSIZE(st), (unsigned) ST_SIZE)));
	b2b_check_version(st->version, ST_VERSION, "stage_transitions");
	if (st->nstages != B2B_NSTAGES || st->ndest != DYN_NDEST || st->reserved != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stage_transitions value is corrupt: bad header")));
	if ((e = dyn_check(&st->t)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stage_transitions value is corrupt: %s", e)));
	return st;
}

#define PG_GETARG_ST(n) st_validate((StageTransitions *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

static void
st_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("stage_transitions count or time sum out of range")));
}

Datum
stage_transitions_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char		err[BJ_ERR_SIZE];
	StageTransitions *st = st_new();

	if (dyn_parse(str, strlen(str), &st->t, err, sizeof(err)) != NULL)
		b2b_input_error(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type stage_transitions: \"%s\"", str),
						 errdetail("%s", err),
						 errhint("%s", st_hint)));
	PG_RETURN_POINTER(st);
}

Datum
stage_transitions_out(PG_FUNCTION_ARGS)
{
	StageTransitions *st = PG_GETARG_ST(0);
	char	   *buf = palloc(DYN_TEXT_MAX);

	dyn_format(&st->t, buf, DYN_TEXT_MAX);
	PG_RETURN_CSTRING(buf);
}

/*
 * Binary form: version, stage count, destination count (bytes), int64
 * journeys, then per cell (stage-major) int64 moves, int64 dwell_hi,
 * int64 dwell_lo.
 */
Datum
stage_transitions_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	StageTransitions *st;
	int			v,
				i,
				d;
	const char *e;

#define ST_RECV_FAIL(...) ereport(ERROR, \
		(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION), \
		 errmsg("invalid binary stage_transitions: " __VA_ARGS__)))

	if (buf->len - buf->cursor != ST_BINARY_SIZE)
		ST_RECV_FAIL("expected %d bytes, got %d", ST_BINARY_SIZE, buf->len - buf->cursor);
	if ((v = pq_getmsgbyte(buf)) != ST_VERSION)
		ST_RECV_FAIL("unknown version %d", v);
	if (pq_getmsgbyte(buf) != B2B_NSTAGES || pq_getmsgbyte(buf) != DYN_NDEST)
		ST_RECV_FAIL("bad stage or destination count");
	st = st_new();
	st->t.journeys = (int64) pq_getmsgint64(buf);
	for (i = 0; i < B2B_NSTAGES; i++)
		for (d = 0; d < DYN_NDEST; d++)
		{
			DynCell    *c = &st->t.cell[i][d];

			c->moves = (int64) pq_getmsgint64(buf);
			c->dwell_hi = (int64) pq_getmsgint64(buf);
			c->dwell_lo = (uint64) pq_getmsgint64(buf);
		}
	if ((e = dyn_check(&st->t)) != NULL)
		ST_RECV_FAIL("%s", e);
	PG_RETURN_POINTER(st);
}

Datum
stage_transitions_send(PG_FUNCTION_ARGS)
{
	StageTransitions *st = PG_GETARG_ST(0);
	StringInfoData buf;
	int			i,
				d;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, ST_VERSION);
	pq_sendbyte(&buf, B2B_NSTAGES);
	pq_sendbyte(&buf, DYN_NDEST);
	pq_sendint64(&buf, st->t.journeys);
	for (i = 0; i < B2B_NSTAGES; i++)
		for (d = 0; d < DYN_NDEST; d++)
		{
			pq_sendint64(&buf, st->t.cell[i][d].moves);
			pq_sendint64(&buf, st->t.cell[i][d].dwell_hi);
			pq_sendint64(&buf, (int64) st->t.cell[i][d].dwell_lo);
		}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------------------------------------------------------------------
 * Aggregates
 * --------------------------------------------------------------------- */

static Datum
st_add(FunctionCallInfo fcinfo, bool has_lost, int64 lost_after, TimestampTz as_of)
{
	StageTransitions *st = (StageTransitions *) PG_GETARG_POINTER(0);
	int			n;
	const JStay *s;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	s = journey_stays_arg(fcinfo, 1, &n);
	if (has_lost && n > 0 && as_of < s[n - 1].last)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of %s precedes the journey's last event %s",
						DatumGetCString(DirectFunctionCall1(timestamptz_out, TimestampTzGetDatum(as_of))),
						DatumGetCString(DirectFunctionCall1(timestamptz_out, TimestampTzGetDatum(s[n - 1].last)))),
				 errhint("Give an as_of at or after every journey's last event, e.g. now() or the time the events were extracted.")));
	if (dyn_add_journey(&st->t, s, n, has_lost, lost_after, has_lost, as_of) != DYN_OK)
		st_overflow();
	PG_RETURN_POINTER(st);
}

/*
 * stage_transitions_agg(journey): INITCOND is the empty table, so the state
 * is never NULL; a NULL journey is skipped.
 */
Datum
stage_transitions_trans(PG_FUNCTION_ARGS)
{
	b2b_agg_context(fcinfo, "stage_transitions_trans");
	return st_add(fcinfo, false, 0, 0);
}

/* stage_transitions_agg(journey, lost_after, as_of) */
Datum
stage_transitions_trans_lost(PG_FUNCTION_ARGS)
{
	Interval   *la;
	int64		lost_after;
	TimestampTz as_of;

	b2b_agg_context(fcinfo, "stage_transitions_trans");
	if (PG_ARGISNULL(2) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("lost_after and as_of of stage_transitions_agg cannot be NULL"),
				 errhint("Give both, e.g. stage_transitions_agg(j, '90 days', now()), or use stage_transitions_agg(j) to count every last stay as open.")));
	la = PG_GETARG_INTERVAL_P(2);
	as_of = PG_GETARG_TIMESTAMPTZ(3);
	lost_after = dyn_interval_usecs(la, "lost_after", true);
	if (lost_after <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("lost_after %s is not positive",
						DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(la)))),
				 errhint("Give the idle time after which an open deal counts as lost, e.g. '90 days'.")));
	if (TIMESTAMP_NOT_FINITE(as_of))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of must be a finite timestamp"),
				 errhint("Use now() or a date, e.g. '2026-11-01'.")));
	return st_add(fcinfo, true, lost_after, as_of);
}

/* Combine and rollup's transition: add b into our own state a. */
Datum
stage_transitions_combine(PG_FUNCTION_ARGS)
{
	StageTransitions *a;
	StageTransitions *b;

	b2b_agg_context(fcinfo, "stage_transitions_combine");
	a = (StageTransitions *) PG_GETARG_POINTER(0);
	b = PG_GETARG_ST(1);
	if (dyn_add_table(&a->t, &b->t) != DYN_OK)
		st_overflow();
	PG_RETURN_POINTER(a);
}

/* ---------------------------------------------------------------------
 * Accessors
 * --------------------------------------------------------------------- */

Datum
stage_transitions_journeys(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_ST(0)->t.journeys);
}

/* One row per nonzero cell: from, to (NULL for lost and open), destination,
 * moves, probability (NULL for open), mean dwell. */
Datum
stage_transitions_matrix(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	StageTransitions *st;
	int			i,
				d;

	InitMaterializedSRF(fcinfo, 0);
	st = PG_GETARG_ST(0);
	for (i = 0; i < B2B_NSTAGES; i++)
	{
		int64		tot = 0;

		for (d = 0; d < DYN_NDEST; d++)
			if (d != DYN_OPEN)
				tot += st->t.cell[i][d].moves;	/* each < 2^63, total checked below */
		for (d = 0; d < DYN_NDEST; d++)
		{
			const DynCell *c = &st->t.cell[i][d];
			Datum		values[6];
			bool		nulls[6] = {false};
			double		mean;

			if (c->moves == 0)
				continue;
			values[0] = JourneyStageGetDatum(i + 1);
			if (d < B2B_NSTAGES)
				values[1] = JourneyStageGetDatum(d + 1);
			else
				nulls[1] = true;
			values[2] = CStringGetTextDatum(dyn_dest_name(d));
			values[3] = Int64GetDatum(c->moves);
			if (d == DYN_OPEN || tot <= 0)
				nulls[4] = true;
			else
				values[4] = Float8GetDatum((double) c->moves / (double) tot);
			mean = dyn_cell_dwell(c) / (double) c->moves;
			values[5] = IntervalPGetDatum(dyn_usecs_interval((int64) rint(mean)));
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	return (Datum) 0;
}

/*
 * The chain toward target for an accessor: checks the order (ERROR 22023
 * when target precedes from).  Returns false when from == target (the
 * caller answers directly).
 */
static bool
st_chain(FunctionCallInfo fcinfo, const char *fname, DynChain *ch, int *from)
{
	StageTransitions *st = PG_GETARG_ST(0);
	int			f = PG_GETARG_JOURNEY_STAGE_CHECKED(1);
	int			target = PG_GETARG_JOURNEY_STAGE_CHECKED(2);

	if (target < f)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: target %s comes before from %s", fname,
						stage_name(target), stage_name(f)),
				 errhint("The target is reached by entering it or any later stage, so give a target at or after from, e.g. %s(t, '%s', '%s').",
						 fname, stage_name(f), stage_name(STAGE_PURCHASE > f ? STAGE_PURCHASE : f))));
	*from = f;
	if (target == f)
		return false;
	dyn_chain(&st->t, target, ch);
	return true;
}

Datum
stage_transitions_reach(PG_FUNCTION_ARGS)
{
	DynChain	ch;
	int			from;

	if (!st_chain(fcinfo, "reach_probability", &ch, &from))
		PG_RETURN_FLOAT8(1.0);
	if (isnan(ch.reach[from - 1]))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(ch.reach[from - 1]);
}

Datum
stage_transitions_moves_to(PG_FUNCTION_ARGS)
{
	DynChain	ch;
	int			from;

	if (!st_chain(fcinfo, "expected_moves_to", &ch, &from))
		PG_RETURN_FLOAT8(0.0);
	if (isnan(ch.moves_to[from - 1]))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(ch.moves_to[from - 1]);
}

Datum
stage_transitions_time_to(PG_FUNCTION_ARGS)
{
	DynChain	ch;
	int			from;
	double		us;

	if (!st_chain(fcinfo, "expected_time_to", &ch, &from))
		PG_RETURN_INTERVAL_P(dyn_usecs_interval(0));
	us = ch.time_to[from - 1];
	if (isnan(us))
		PG_RETURN_NULL();
	if (!(us < 9.2e18))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("expected time to %s is out of range for an interval",
						stage_name(ch.target))));
	PG_RETURN_INTERVAL_P(dyn_usecs_interval((int64) rint(us)));
}

/* fundamental_matrix(t, target): rows (from_stage, to_stage, visits). */
Datum
stage_transitions_fundamental(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	StageTransitions *st;
	int			target,
				i,
				j;
	DynChain	ch;

	InitMaterializedSRF(fcinfo, 0);
	st = PG_GETARG_ST(0);
	target = PG_GETARG_JOURNEY_STAGE_CHECKED(1);
	dyn_chain(&st->t, target, &ch);
	for (i = 0; i < ch.ntransient; i++)
	{
		if (!ch.has_data[i] || ch.stuck[i])
			continue;
		for (j = 0; j < ch.ntransient; j++)
		{
			Datum		values[3];
			bool		nulls[3] = {false};

			if (ch.stuck[j] || isnan(ch.N[i][j]) || (!ch.has_data[j] && ch.N[i][j] == 0))
				continue;
			values[0] = JourneyStageGetDatum(i + 1);
			values[1] = JourneyStageGetDatum(j + 1);
			values[2] = Float8GetDatum(ch.N[i][j]);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	return (Datum) 0;
}
