/*
 * eval.c — auc_agg, lift_agg and the lift type.
 *
 * An exact AUC or lift table needs the rank of every score, so the state is
 * unbounded: the scores of the positives and of the negatives, 8 bytes a
 * row, in two arrays in the aggregate context (an internal state with
 * serialize/deserialize for parallel query; SPEC §1).  The final functions
 * sort the arrays (radix sort, eval_core.c) and merge them.
 *
 * A lift value stores the tie groups in descending score order: score,
 * rows and positives per distinct score (24 bytes a distinct score), so
 * lift tables of any bucket count, the AUC and rollups are exact.
 */
#include "b2btarget.h"

#include <math.h>

#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "eval_core.h"
#include "lift.h"
#include "json_core.h"

PG_FUNCTION_INFO_V1(eval_trans);
PG_FUNCTION_INFO_V1(eval_combine);
PG_FUNCTION_INFO_V1(eval_serialize);
PG_FUNCTION_INFO_V1(eval_deserialize);
PG_FUNCTION_INFO_V1(auc_final);
PG_FUNCTION_INFO_V1(lift_final);
PG_FUNCTION_INFO_V1(lift_in);
PG_FUNCTION_INFO_V1(lift_out);
PG_FUNCTION_INFO_V1(lift_recv);
PG_FUNCTION_INFO_V1(lift_send);
PG_FUNCTION_INFO_V1(lift_auc);
PG_FUNCTION_INFO_V1(lift_merge);
PG_FUNCTION_INFO_V1(lift_table);

#define EVAL_SERIAL_VERSION 1
#define LIFT_MAX_BUCKETS 100000

/* ---------------------------------------------------------------------
 * The state: scores of positives and negatives.
 * --------------------------------------------------------------------- */

typedef struct ScoreVec
{
	double	   *v;
	Size		n;
	Size		cap;
} ScoreVec;

typedef struct EvalState
{
	MemoryContext ctx;
	ScoreVec	pos;
	ScoreVec	neg;
	bool		sorted;
} EvalState;

static void
vec_reserve(MemoryContext ctx, ScoreVec *s, Size more)
{
	Size		need = s->n + more;

	if (need <= s->cap)
		return;
	if (need > MaxAllocHugeSize / sizeof(double) / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many rows for an evaluation aggregate")));
	if (s->cap == 0)
	{
		s->cap = Max(need, 1024);
		s->v = MemoryContextAllocHuge(ctx, s->cap * sizeof(double));
	}
	else
	{
		s->cap = Max(need, s->cap * 2);
		s->v = repalloc_huge(s->v, s->cap * sizeof(double));
	}
}

static EvalState *
eval_state_new(MemoryContext ctx)
{
	EvalState  *st = MemoryContextAllocZero(ctx, sizeof(EvalState));

	st->ctx = ctx;
	st->sorted = true;
	return st;
}

static void
check_score(double s)
{
	if (!isfinite(s))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("score %g is not finite", s),
				 errhint("Scores are finite numbers (any scale: only their order counts); a NULL score or label skips the row.")));
}

/* auc_agg / lift_agg (score float8, label boolean): NULLs are skipped. */
Datum
eval_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = b2b_agg_context(fcinfo, "eval_trans");
	EvalState  *st = PG_ARGISNULL(0) ? NULL : (EvalState *) PG_GETARG_POINTER(0);
	ScoreVec   *v;
	double		s;

	if (st == NULL)
		st = eval_state_new(aggctx);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);
	s = PG_GETARG_FLOAT8(1);
	check_score(s);
	v = PG_GETARG_BOOL(2) ? &st->pos : &st->neg;
	if (v->n == v->cap)
		vec_reserve(st->ctx, v, 1);
	v->v[v->n++] = (s == 0) ? 0.0 : s;
	st->sorted = false;
	PG_RETURN_POINTER(st);
}

static void
vec_append(MemoryContext ctx, ScoreVec *dst, const double *src, Size n)
{
	if (n == 0)
		return;
	vec_reserve(ctx, dst, n);
	memcpy(dst->v + dst->n, src, n * sizeof(double));
	dst->n += n;
}

Datum
eval_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = b2b_agg_context(fcinfo, "eval_combine");
	EvalState  *a = PG_ARGISNULL(0) ? NULL : (EvalState *) PG_GETARG_POINTER(0);
	EvalState  *b = PG_ARGISNULL(1) ? NULL : (EvalState *) PG_GETARG_POINTER(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = eval_state_new(aggctx);
	vec_append(aggctx, &a->pos, b->pos.v, b->pos.n);
	vec_append(aggctx, &a->neg, b->neg.v, b->neg.n);
	a->sorted = false;
	PG_RETURN_POINTER(a);
}

/*
 * Serialized: version byte, 7 bytes 0, int64 positives, int64 negatives,
 * then their scores (native float8: the bytes only travel between the
 * processes of one query).
 */
Datum
eval_serialize(PG_FUNCTION_ARGS)
{
	EvalState  *st;
	Size		size;
	bytea	   *out;
	char	   *p;
	int64		n;

	b2b_agg_context(fcinfo, "eval_serialize");
	st = (EvalState *) PG_GETARG_POINTER(0);
	if ((double) (st->pos.n + st->neg.n) * sizeof(double) > (double) (MaxAllocSize - 1024))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("partial state of a parallel worker exceeds 1 GB (%zu rows)",
						st->pos.n + st->neg.n),
				 errhint("Aggregate without parallel workers (SET max_parallel_workers_per_gather = 0), or in groups.")));
	size = VARHDRSZ + 24 + (st->pos.n + st->neg.n) * sizeof(double);
	out = (bytea *) palloc(size);
	SET_VARSIZE(out, size);
	p = VARDATA(out);
	memset(p, 0, 8);
	p[0] = EVAL_SERIAL_VERSION;
	n = st->pos.n;
	memcpy(p + 8, &n, 8);
	n = st->neg.n;
	memcpy(p + 16, &n, 8);
	if (st->pos.n)
		memcpy(p + 24, st->pos.v, st->pos.n * sizeof(double));
	if (st->neg.n)
		memcpy(p + 24 + st->pos.n * sizeof(double), st->neg.v, st->neg.n * sizeof(double));
	PG_RETURN_BYTEA_P(out);
}

Datum
eval_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = b2b_agg_context(fcinfo, "eval_deserialize");
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(in);
	Size		len = VARSIZE_ANY_EXHDR(in);
	int64		np,
				nn;
	EvalState  *st;
	Size		i;
	int			j;

	if (len < 24 || p[0] != EVAL_SERIAL_VERSION)
		b2b_corrupt("evaluation partial state is corrupt (header)");
	for (j = 1; j < 8; j++)
		if (p[j] != 0)
			b2b_corrupt("evaluation partial state is corrupt (header)");
	memcpy(&np, p + 8, 8);
	memcpy(&nn, p + 16, 8);
	if (np < 0 || nn < 0 || (double) (np + nn) * sizeof(double) != (double) (len - 24))
		b2b_corrupt("evaluation partial state is corrupt (length)");
	st = eval_state_new(aggctx);
	vec_append(aggctx, &st->pos, (const double *) (p + 24), np);
	vec_append(aggctx, &st->neg, (const double *) (p + 24 + np * sizeof(double)), nn);
	for (i = 0; i < st->pos.n; i++)
		check_score(st->pos.v[i]);
	for (i = 0; i < st->neg.n; i++)
		check_score(st->neg.v[i]);
	st->sorted = false;
	PG_RETURN_POINTER(st);
}

/* Sort both arrays in place (does not change what the state means). */
static void
eval_sort(EvalState *st)
{
	double	   *tmp;
	Size		n = Max(st->pos.n, st->neg.n);

	if (st->sorted)
		return;
	tmp = MemoryContextAllocHuge(CurrentMemoryContext, Max(n, 1) * sizeof(double));
	ev_sort(st->pos.v, st->pos.n, tmp);
	ev_sort(st->neg.v, st->neg.n, tmp);
	pfree(tmp);
	st->sorted = true;
}

/* auc_agg: NULL when either class has no rows (the AUC is undefined). */
Datum
auc_final(PG_FUNCTION_ARGS)
{
	EvalState  *st;
	double		auc;

	b2b_agg_context(fcinfo, "auc_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (EvalState *) PG_GETARG_POINTER(0);
	eval_sort(st);
	auc = ev_auc_sorted(st->pos.v, st->pos.n, st->neg.v, st->neg.n);
	if (isnan(auc))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(auc);
}

/* ---------------------------------------------------------------------
 * The lift type: tie groups in descending score order.
 * --------------------------------------------------------------------- */

static Lift *
lift_new(Size g)
{
	Size		size;
	Lift	   *l;

	if (g > (Size) LIFT_MAX_GROUPS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a lift value holds at most %d distinct scores, got %zu", LIFT_MAX_GROUPS, g),
				 errhint("Round the scores (e.g. round(score::numeric, 6)) so fewer are distinct.")));
	size = LIFT_HDR + g * 24;
	l = (Lift *) palloc0(size);
	SET_VARSIZE(l, size);
	l->version = LIFT_VERSION;
	l->ngroups = (int32) g;
	return l;
}

Lift *
lift_validate(Lift *l)
{
	const char *problem;

	if (VARSIZE(l) < LIFT_HDR)
		b2b_corrupt("lift value is truncated");
	b2b_check_version(l->version, LIFT_VERSION, "lift");
	if (l->flags != 0 || l->reserved != 0 || l->reserved2 != 0 || l->ngroups < 0 ||
		VARSIZE(l) != LIFT_HDR + (Size) l->ngroups * 24)
		b2b_corrupt("lift value is corrupt (header)");
	problem = ev_lift_problem(LIFT_SCORE(l), LIFT_ROWS(l), LIFT_POS(l), l->ngroups);
	if (problem)
		b2b_corrupt("lift value is corrupt: %s", problem);
	return l;
}

/* lift_agg: NULL over no rows. */
Datum
lift_final(PG_FUNCTION_ARGS)
{
	EvalState  *st;
	double	   *score;
	int64	   *rows,
			   *pos;
	Size		n,
				g;
	Lift	   *l;

	b2b_agg_context(fcinfo, "lift_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (EvalState *) PG_GETARG_POINTER(0);
	n = st->pos.n + st->neg.n;
	if (n == 0)
		PG_RETURN_NULL();
	eval_sort(st);
	score = MemoryContextAllocHuge(CurrentMemoryContext, n * sizeof(double));
	rows = MemoryContextAllocHuge(CurrentMemoryContext, n * sizeof(int64));
	pos = MemoryContextAllocHuge(CurrentMemoryContext, n * sizeof(int64));
	g = ev_groups(st->pos.v, st->pos.n, st->neg.v, st->neg.n, score, rows, pos);
	l = lift_new(g);
	memcpy(LIFT_SCORE(l), score, g * sizeof(double));
	memcpy(LIFT_ROWS(l), rows, g * sizeof(int64));
	memcpy(LIFT_POS(l), pos, g * sizeof(int64));
	pfree(score);
	pfree(rows);
	pfree(pos);
	PG_RETURN_POINTER(l);
}

#define LIFT_HINT "A lift is the JSON object lift_agg writes: {\"version\": 1, \"scores\": [...], \"rows\": [...], \"positives\": [...]}, one entry per distinct score in descending order, rows >= 1, 0 <= positives <= rows."

Datum
lift_out(PG_FUNCTION_ARGS)
{
	Lift	   *l = PG_GETARG_LIFT(0);
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\": %d, \"scores\": [", LIFT_VERSION);
	for (i = 0; i < l->ngroups; i++)
	{
		if (i > 0)
			appendStringInfoString(&buf, ", ");
		b2b_append_float8(&buf, LIFT_SCORE(l)[i]);
	}
	appendStringInfoString(&buf, "], \"rows\": [");
	for (i = 0; i < l->ngroups; i++)
		appendStringInfo(&buf, "%s" INT64_FORMAT, i > 0 ? ", " : "", LIFT_ROWS(l)[i]);
	appendStringInfoString(&buf, "], \"positives\": [");
	for (i = 0; i < l->ngroups; i++)
		appendStringInfo(&buf, "%s" INT64_FORMAT, i > 0 ? ", " : "", LIFT_POS(l)[i]);
	appendStringInfoString(&buf, "]}");
	PG_RETURN_CSTRING(buf.data);
}

Datum
lift_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	ev_lift		p;
	char		err[BJ_ERR_SIZE];
	const char *problem;
	Lift	   *l;

	problem = ev_lift_parse(str, strlen(str), LIFT_MAX_GROUPS, &p, palloc, pfree,
							err, sizeof(err));
	if (problem)
		b2b_input_error(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type lift: \"%.200s%s\"", str,
								strlen(str) > 200 ? "..." : ""),
						 errdetail("%s", problem),
						 errhint(LIFT_HINT)));
	l = lift_new(p.ngroups);
	memcpy(LIFT_SCORE(l), p.score, p.ngroups * sizeof(double));
	memcpy(LIFT_ROWS(l), p.rows, p.ngroups * sizeof(int64));
	memcpy(LIFT_POS(l), p.positives, p.ngroups * sizeof(int64));
	ev_lift_free(&p, pfree);
	PG_RETURN_POINTER(l);
}

/* Binary: version byte, int32 groups, then per group float8 score, int64 rows, int64 positives. */
Datum
lift_send(PG_FUNCTION_ARGS)
{
	Lift	   *l = PG_GETARG_LIFT(0);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, LIFT_VERSION);
	pq_sendint32(&buf, l->ngroups);
	for (i = 0; i < l->ngroups; i++)
	{
		pq_sendfloat8(&buf, LIFT_SCORE(l)[i]);
		pq_sendint64(&buf, LIFT_ROWS(l)[i]);
		pq_sendint64(&buf, LIFT_POS(l)[i]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
lift_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version,
				g,
				i;
	Lift	   *l;
	const char *problem;

	if (buf->len - buf->cursor < 5)
		b2b_bad_binary("lift", "truncated");
	version = pq_getmsgbyte(buf);
	if (version != LIFT_VERSION)
		b2b_bad_binary("lift", "unknown version %d", version);
	g = (int32) pq_getmsgint(buf, 4);
	if (g < 0 || g > LIFT_MAX_GROUPS || (Size) (buf->len - buf->cursor) != (Size) g * 24)
		b2b_bad_binary("lift", "%d groups in %d bytes", g, buf->len - buf->cursor);
	l = lift_new(g);
	for (i = 0; i < g; i++)
	{
		LIFT_SCORE(l)[i] = pq_getmsgfloat8(buf);
		LIFT_ROWS(l)[i] = (int64) pq_getmsgint64(buf);
		LIFT_POS(l)[i] = (int64) pq_getmsgint64(buf);
	}
	problem = ev_lift_problem(LIFT_SCORE(l), LIFT_ROWS(l), LIFT_POS(l), g);
	if (problem)
		b2b_bad_binary("lift", "%s", problem);
	PG_RETURN_POINTER(l);
}

/* auc(lift): the same value auc_agg gives over the same rows. */
Datum
lift_auc(PG_FUNCTION_ARGS)
{
	Lift	   *l = PG_GETARG_LIFT(0);
	double		auc = ev_auc_groups(LIFT_ROWS(l), LIFT_POS(l), l->ngroups);

	if (isnan(auc))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(auc);
}

/* rollup(lift) transition and combine: merge two lifts (either may be NULL). */
Datum
lift_merge(PG_FUNCTION_ARGS)
{
	Lift	   *a,
			   *b,
			   *m;
	Size		i = 0,
				j = 0,
				g = 0;

	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(0))
		PG_RETURN_POINTER(PG_GETARG_LIFT(1));
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(PG_GETARG_LIFT(0));
	a = PG_GETARG_LIFT(0);
	b = PG_GETARG_LIFT(1);
	m = lift_new((Size) a->ngroups + b->ngroups);
	while (i < (Size) a->ngroups || j < (Size) b->ngroups)
	{
		double		s;
		int64		r = 0,
					p = 0;

		if (j >= (Size) b->ngroups || (i < (Size) a->ngroups && LIFT_SCORE(a)[i] >= LIFT_SCORE(b)[j]))
			s = LIFT_SCORE(a)[i];
		else
			s = LIFT_SCORE(b)[j];
		if (i < (Size) a->ngroups && LIFT_SCORE(a)[i] == s)
		{
			r += LIFT_ROWS(a)[i];
			p += LIFT_POS(a)[i];
			i++;
		}
		if (j < (Size) b->ngroups && LIFT_SCORE(b)[j] == s)
		{
			r += LIFT_ROWS(b)[j];
			p += LIFT_POS(b)[j];
			j++;
		}
		/* m was sized for no shared scores; shrunk below when some were */
		LIFT_SCORE(m)[g] = s;
		LIFT_ROWS(m)[g] = r;
		LIFT_POS(m)[g] = p;
		g++;
	}
	if (g < (Size) m->ngroups)
	{
		Lift	   *t = lift_new(g);
		Size		k;

		for (k = 0; k < g; k++)
		{
			LIFT_SCORE(t)[k] = LIFT_SCORE(m)[k];
			LIFT_ROWS(t)[k] = LIFT_ROWS(m)[k];
			LIFT_POS(t)[k] = LIFT_POS(m)[k];
		}
		m = t;
	}
	lift_validate(m);
	PG_RETURN_POINTER(m);
}

/*
 * lift_table(lift, buckets): rows ranked by descending score; each tie
 * group goes whole into the bucket of its first row (0-based rank r goes
 * to bucket floor(r * buckets / n) + 1), so a bucket may be empty.
 */
Datum
lift_table(PG_FUNCTION_ARGS)
{
	Lift	   *l = PG_GETARG_LIFT(0);
	int			buckets = PG_GETARG_INT32(1);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int64	   *brows,
			   *bpos;
	double	   *bmin,
			   *bmax;
	int64		n = 0,
				np = 0,
				cum = 0;
	int			b,
				g;

	if (buckets < 1 || buckets > LIFT_MAX_BUCKETS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("lift_table buckets %d is out of range", buckets),
				 errhint("Give 1 to %d buckets (10: deciles).", LIFT_MAX_BUCKETS)));
	InitMaterializedSRF(fcinfo, 0);
	if (l->ngroups == 0)
		return (Datum) 0;
	for (g = 0; g < l->ngroups; g++)
	{
		n += LIFT_ROWS(l)[g];
		np += LIFT_POS(l)[g];
	}
	brows = palloc(sizeof(int64) * buckets);
	bpos = palloc(sizeof(int64) * buckets);
	bmin = palloc(sizeof(double) * buckets);
	bmax = palloc(sizeof(double) * buckets);
	ev_lift_buckets(LIFT_SCORE(l), LIFT_ROWS(l), LIFT_POS(l), l->ngroups,
					buckets, brows, bpos, bmin, bmax);
	for (b = 0; b < buckets; b++)
	{
		Datum		values[8];
		bool		nulls[8] = {false};

		cum += bpos[b];
		values[0] = Int32GetDatum(b + 1);
		values[1] = Int64GetDatum(brows[b]);
		values[2] = Int64GetDatum(bpos[b]);
		if (brows[b] > 0)
		{
			double		rate = (double) bpos[b] / (double) brows[b];

			values[3] = Float8GetDatum(rate);
			if (np > 0)
				values[4] = Float8GetDatum(rate / ((double) np / (double) n));
			else
				nulls[4] = true;
			values[6] = Float8GetDatum(bmin[b]);
			values[7] = Float8GetDatum(bmax[b]);
		}
		else
			nulls[3] = nulls[4] = nulls[6] = nulls[7] = true;
		if (np > 0)
			values[5] = Float8GetDatum((double) cum / (double) np);
		else
			nulls[5] = true;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
