/*
 * funnel.c — the funnel summary type and funnel_agg / rollup.
 *
 * A funnel counts entities by the furthest stage they reached.  Its state is
 * seven int64 counters, so the stored summary is itself the aggregate's
 * transition type (SPEC §1): updated in place inside the aggregate context,
 * combined by adding counters, and shipped between Citus nodes as text.
 *
 * Text form is JSON of the "reached" counts (entities at or past each
 * stage), which is what a person reading a funnel expects; the counts must
 * not increase along the stages.
 */
#include "b2btarget.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "funnel.h"
#include "json_core.h"
#include "stage_core.h"

PG_FUNCTION_INFO_V1(funnel_in);
PG_FUNCTION_INFO_V1(funnel_out);
PG_FUNCTION_INFO_V1(funnel_recv);
PG_FUNCTION_INFO_V1(funnel_send);
PG_FUNCTION_INFO_V1(funnel_trans);
PG_FUNCTION_INFO_V1(funnel_inv);
PG_FUNCTION_INFO_V1(funnel_combine);
PG_FUNCTION_INFO_V1(funnel_reached);
PG_FUNCTION_INFO_V1(funnel_stopped);
PG_FUNCTION_INFO_V1(funnel_total);
PG_FUNCTION_INFO_V1(funnel_conversion);

Funnel *
funnel_new(void)
{
	Funnel	   *f = (Funnel *) palloc0(FUNNEL_SIZE);

	SET_VARSIZE(f, FUNNEL_SIZE);
	f->version = FUNNEL_VERSION;
	f->nstages = B2B_NSTAGES;
	return f;
}

/* Check a detoasted funnel read from disk or from another node. */
Funnel *
funnel_validate(Funnel *f)
{
	int			i;

	if (VARSIZE(f) != FUNNEL_SIZE)
		b2b_corrupt("funnel value has size %u, expected %u",
					(unsigned) VARSIZE(f), (unsigned) FUNNEL_SIZE);
	b2b_check_version(f->version, FUNNEL_VERSION, "funnel");
	if (f->nstages != B2B_NSTAGES || f->flags != 0)
		b2b_corrupt("funnel value is corrupt (stages %d, flags %d)",
					f->nstages, f->flags);
	for (i = 0; i < B2B_NSTAGES; i++)
		if (f->at[i] < 0)
			b2b_corrupt("funnel value is corrupt (negative count)");
	return f;
}


static int64
funnel_reached_count(const Funnel *f, int s)
{
	int64		n = 0;
	int			i;

	for (i = s - 1; i < B2B_NSTAGES; i++)
		n += f->at[i];
	return n;
}

static void
add_counts(Funnel *dst, const Funnel *src)
{
	int			i;

	for (i = 0; i < B2B_NSTAGES; i++)
	{
		if (pg_add_s64_overflow(dst->at[i], src->at[i], &dst->at[i]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("funnel count out of range")));
	}
}

Datum
funnel_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	int64_t		reached[B2B_NSTAGES];
	char		err[BJ_ERR_SIZE];
	const char *problem;
	Funnel	   *f;
	int			i;

	problem = funnel_parse(str, strlen(str), reached, err, sizeof(err));
	if (problem)
		b2b_input_error(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type funnel: \"%s\"", str),
						 errdetail("%s", problem),
						 errhint("A funnel is a JSON object of the entities that reached each stage, e.g. {\"awareness\": 10, \"consideration\": 6, \"evaluation\": 4, \"decision\": 3, \"purchase\": 2, \"retention\": 1, \"advocacy\": 0}; counts must not increase along the stages.")));

	f = funnel_new();
	for (i = 0; i < B2B_NSTAGES; i++)
		f->at[i] = reached[i] - (i + 1 < B2B_NSTAGES ? reached[i + 1] : 0);
	PG_RETURN_POINTER(f);
}

Datum
funnel_out(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL(0);
	StringInfoData buf;
	int			s;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (s = 1; s <= B2B_NSTAGES; s++)
		appendStringInfo(&buf, "%s\"%s\": " INT64_FORMAT, s > 1 ? ", " : "",
						 stage_name(s), funnel_reached_count(f, s));
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/* Binary form: version byte, stage count byte, then 7 int64 "at" counts. */
Datum
funnel_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	Funnel	   *f;
	int			version,
				n,
				i;

	if (buf->len - buf->cursor != 2 + 8 * B2B_NSTAGES)
		b2b_bad_binary("funnel", "expected %d bytes, got %d",
					   2 + 8 * B2B_NSTAGES, buf->len - buf->cursor);
	version = pq_getmsgbyte(buf);
	if (version != FUNNEL_VERSION)
		b2b_bad_binary("funnel", "unknown version %d", version);
	n = pq_getmsgbyte(buf);
	if (n != B2B_NSTAGES)
		b2b_bad_binary("funnel", "%d stages, expected %d", n, B2B_NSTAGES);
	f = funnel_new();
	for (i = 0; i < B2B_NSTAGES; i++)
	{
		f->at[i] = (int64) pq_getmsgint64(buf);
		if (f->at[i] < 0)
			b2b_bad_binary("funnel", "negative count");
	}
	/* The reached counts must fit in int64 too. */
	for (i = B2B_NSTAGES - 2; i >= 0; i--)
		if (f->at[i] > PG_INT64_MAX - funnel_reached_count(f, i + 2))
			b2b_bad_binary("funnel", "counts out of range");
	PG_RETURN_POINTER(f);
}

Datum
funnel_send(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL(0);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, FUNNEL_VERSION);
	pq_sendbyte(&buf, B2B_NSTAGES);
	for (i = 0; i < B2B_NSTAGES; i++)
		pq_sendint64(&buf, f->at[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * Transition: count one entity at its furthest stage.  STRICT, with an
 * all-zero INITCOND, so the state is never NULL here and NULL stages are
 * skipped by the executor.  The state is the aggregate's own copy, in the
 * aggregate context, and is changed in place.
 */
Datum
funnel_trans(PG_FUNCTION_ARGS)
{
	Funnel	   *f;
	int			s;

	b2b_agg_context(fcinfo, "funnel_trans");
	f = (Funnel *) PG_GETARG_POINTER(0);
	s = PG_GETARG_JOURNEY_STAGE(1);
	s = b2b_stage_checked(s);
	f->at[s - 1]++;
	PG_RETURN_POINTER(f);
}

/* Inverse transition, for moving-window funnels. */
Datum
funnel_inv(PG_FUNCTION_ARGS)
{
	Funnel	   *f;
	int			s;

	b2b_agg_context(fcinfo, "funnel_inv");
	f = (Funnel *) PG_GETARG_POINTER(0);
	s = PG_GETARG_JOURNEY_STAGE(1);
	if (s < 1 || s > B2B_NSTAGES || f->at[s - 1] <= 0)
		b2b_corrupt("funnel inverse transition out of step");
	f->at[s - 1]--;
	PG_RETURN_POINTER(f);
}

/*
 * Combine (and rollup's transition): add the second funnel into the first,
 * in place.  The second may come from disk or another node, so it is
 * validated; the first is our own state.
 */
Datum
funnel_combine(PG_FUNCTION_ARGS)
{
	Funnel	   *a;
	Funnel	   *b;

	b2b_agg_context(fcinfo, "funnel_combine");
	a = (Funnel *) PG_GETARG_POINTER(0);
	b = PG_GETARG_FUNNEL(1);
	add_counts(a, b);
	PG_RETURN_POINTER(a);
}

Datum
funnel_reached(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL(0);

	PG_RETURN_INT64(funnel_reached_count(f, PG_GETARG_JOURNEY_STAGE_CHECKED(1)));
}

Datum
funnel_stopped(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL(0);

	PG_RETURN_INT64(f->at[PG_GETARG_JOURNEY_STAGE_CHECKED(1) - 1]);
}

Datum
funnel_total(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL(0);

	PG_RETURN_INT64(funnel_reached_count(f, 1));
}

Datum
funnel_conversion(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL(0);
	int			from = PG_GETARG_JOURNEY_STAGE_CHECKED(1);
	int			to = PG_GETARG_JOURNEY_STAGE_CHECKED(2);
	int64		nf,
				nt;

	if (to < from)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("conversion from %s to %s runs backwards",
						stage_name(from), stage_name(to)),
				 errhint("Give the earlier stage first: conversion(f, '%s', '%s').",
						 stage_name(to), stage_name(from))));
	nf = funnel_reached_count(f, from);
	nt = funnel_reached_count(f, to);
	if (nf == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) nt / (double) nf);
}
