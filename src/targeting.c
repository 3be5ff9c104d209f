/*
 * targeting.c — bulls-eye targeting (SPEC §9): expected_value, the
 * target_plan type and target_plan_agg, the calibrator type with
 * calibration_fit / calibrate / calibration_table, the uplift type with
 * uplift_agg and its metrics.  The math is in targeting_core.c.
 *
 * States.  target_plan_agg keeps every candidate that could be chosen
 * (expected value > 0 and cost <= budget; 32 bytes each) in an internal
 * state: an exact knapsack needs them all, and no bounded summary gives
 * the optimum.  calibration_fit and uplift_agg keep the scores per class
 * (8 bytes a row) as auc_agg does, so the fit and the curves are exact;
 * their results (calibrator, uplift) are stored types bounded by the
 * number of distinct scores, and uplift has rollup().
 */
#include "b2btarget.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "eval_core.h"
#include "json_core.h"
#include "targeting_core.h"

PG_FUNCTION_INFO_V1(expected_value);
PG_FUNCTION_INFO_V1(target_plan_trans);
PG_FUNCTION_INFO_V1(target_plan_combine);
PG_FUNCTION_INFO_V1(target_plan_serialize);
PG_FUNCTION_INFO_V1(target_plan_deserialize);
PG_FUNCTION_INFO_V1(target_plan_final);
PG_FUNCTION_INFO_V1(target_plan_in);
PG_FUNCTION_INFO_V1(target_plan_out);
PG_FUNCTION_INFO_V1(target_plan_recv);
PG_FUNCTION_INFO_V1(target_plan_send);
PG_FUNCTION_INFO_V1(target_plan_rows);
PG_FUNCTION_INFO_V1(target_plan_summary);
PG_FUNCTION_INFO_V1(class_combine);
PG_FUNCTION_INFO_V1(class_serialize);
PG_FUNCTION_INFO_V1(class_deserialize);
PG_FUNCTION_INFO_V1(calibration_trans);
PG_FUNCTION_INFO_V1(calibration_final);
PG_FUNCTION_INFO_V1(calibrator_in);
PG_FUNCTION_INFO_V1(calibrator_out);
PG_FUNCTION_INFO_V1(calibrator_recv);
PG_FUNCTION_INFO_V1(calibrator_send);
PG_FUNCTION_INFO_V1(calibrate);
PG_FUNCTION_INFO_V1(calibration_table);
PG_FUNCTION_INFO_V1(uplift_trans);
PG_FUNCTION_INFO_V1(uplift_final);
PG_FUNCTION_INFO_V1(uplift_in);
PG_FUNCTION_INFO_V1(uplift_out);
PG_FUNCTION_INFO_V1(uplift_recv);
PG_FUNCTION_INFO_V1(uplift_send);
PG_FUNCTION_INFO_V1(uplift_merge);
PG_FUNCTION_INFO_V1(qini_coefficient);
PG_FUNCTION_INFO_V1(uplift_auc);
PG_FUNCTION_INFO_V1(uplift_at_k);
PG_FUNCTION_INFO_V1(uplift_table);

#define SERIAL_VERSION 1
#define MAX_BINS 100000

static void *
tg_palloc(size_t size)
{
	return MemoryContextAllocHuge(CurrentMemoryContext, size);
}

static void
tg_pfree(void *p)
{
	pfree(p);
}

static void
tg_interrupt(void)
{
	CHECK_FOR_INTERRUPTS();
}

static void
check_finite(double v, const char *what, const char *hint)
{
	if (!isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %g is not finite", what, v),
				 errhint("%s", hint)));
}

static void
check_cost(double c, const char *what)
{
	check_finite(c, what, "Costs and budgets are finite amounts >= 0.");
	if (c < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %g is negative", what, c),
				 errhint("Costs and budgets are finite amounts >= 0.")));
}

#define VALUE_HINT "A value is the finite amount a conversion brings (e.g. the expected deal size)."

/* expected_value(p, value, cost) = p * value - cost */
Datum
expected_value(PG_FUNCTION_ARGS)
{
	double		p = PG_GETARG_PROPENSITY(0);
	double		value = PG_GETARG_FLOAT8(1);
	double		cost = PG_GETARG_FLOAT8(2);

	check_finite(value, "value", VALUE_HINT);
	check_cost(cost, "cost");
	PG_RETURN_FLOAT8(tp_expected_value(p, value, cost));
}

/* =====================================================================
 * target_plan_agg: the candidates that may be chosen, in an internal state.
 * ===================================================================== */

typedef struct TpState
{
	bool		have_budget;
	double		budget;
	int64		candidates;		/* rows without NULLs */
	Size		n;
	Size		cap;
	tp_item    *items;
} TpState;

static TpState *
plan_state_new(MemoryContext ctx)
{
	return MemoryContextAllocZero(ctx, sizeof(TpState));
}

static void
plan_set_budget(TpState *st, double budget)
{
	if (!st->have_budget)
	{
		st->have_budget = true;
		st->budget = budget;
	}
	else if (budget != st->budget)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("target_plan_agg budget %g differs from %g in an earlier row",
						budget, st->budget),
				 errhint("The budget is one amount for the whole plan: pass the same value in every row (a constant or a scalar subquery).")));
}

static void
plan_reserve(MemoryContext ctx, TpState *st, Size more)
{
	Size		need = st->n + more;

	if (need <= st->cap)
		return;
	if (need > MaxAllocHugeSize / sizeof(tp_item) / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many candidates for target_plan_agg")));
	if (st->cap == 0)
	{
		st->cap = Max(need, 256);
		st->items = MemoryContextAllocHuge(ctx, st->cap * sizeof(tp_item));
	}
	else
	{
		st->cap = Max(need, st->cap * 2);
		st->items = repalloc_huge(st->items, st->cap * sizeof(tp_item));
	}
}

/* Only candidates with ev > 0 and cost <= budget can ever be chosen. */
static inline bool
plan_keeps(const tp_item *it, double budget)
{
	return it->ev > 0 && it->cost <= budget;
}

/* target_plan_trans(state, id, p, value, cost, budget) */
Datum
target_plan_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = b2b_agg_context(fcinfo, "target_plan_trans");
	TpState  *st = PG_ARGISNULL(0) ? NULL : (TpState *) PG_GETARG_POINTER(0);
	tp_item		it;
	double		budget;

	if (st == NULL)
		st = plan_state_new(aggctx);
	if (PG_ARGISNULL(5))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("target_plan_agg budget is NULL"),
				 errhint("Pass the budget, the same amount in every row.")));
	budget = PG_GETARG_FLOAT8(5);
	check_cost(budget, "budget");
	plan_set_budget(st, budget);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) || PG_ARGISNULL(4))
		PG_RETURN_POINTER(st);
	it.id = PG_GETARG_INT64(1);
	it.p = PG_GETARG_PROPENSITY(2);
	it.value = PG_GETARG_FLOAT8(3);
	it.cost = PG_GETARG_FLOAT8(4);
	check_finite(it.value, "value", VALUE_HINT);
	check_cost(it.cost, "cost");
	tp_item_init(&it);
	st->candidates++;
	if (plan_keeps(&it, budget))
	{
		if (st->n == st->cap)
			plan_reserve(aggctx, st, 1);
		st->items[st->n++] = it;
	}
	PG_RETURN_POINTER(st);
}

Datum
target_plan_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = b2b_agg_context(fcinfo, "target_plan_combine");
	TpState  *a = PG_ARGISNULL(0) ? NULL : (TpState *) PG_GETARG_POINTER(0);
	TpState  *b = PG_ARGISNULL(1) ? NULL : (TpState *) PG_GETARG_POINTER(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = plan_state_new(aggctx);
	if (b->have_budget)
		plan_set_budget(a, b->budget);
	a->candidates += b->candidates;
	if (b->n > 0)
	{
		plan_reserve(aggctx, a, b->n);
		memcpy(a->items + a->n, b->items, b->n * sizeof(tp_item));
		a->n += b->n;
	}
	PG_RETURN_POINTER(a);
}

/*
 * Serialized: version, have_budget, 6 bytes 0, float8 budget, int64
 * candidates, int64 n, then n x (int64 id, float8 p, value, cost), native
 * byte order (the bytes only travel between the processes of one query).
 */
#define PLAN_SER_HDR 32
#define PLAN_SER_ITEM 32

Datum
target_plan_serialize(PG_FUNCTION_ARGS)
{
	TpState  *st;
	bytea	   *out;
	char	   *p;
	Size		size,
				i;
	int64		n;

	b2b_agg_context(fcinfo, "target_plan_serialize");
	st = (TpState *) PG_GETARG_POINTER(0);
	if ((double) st->n * PLAN_SER_ITEM > (double) (MaxAllocSize - 1024))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("partial state of a parallel worker exceeds 1 GB (%zu candidates)", st->n),
				 errhint("Aggregate without parallel workers (SET max_parallel_workers_per_gather = 0).")));
	size = VARHDRSZ + PLAN_SER_HDR + st->n * PLAN_SER_ITEM;
	out = (bytea *) palloc(size);
	SET_VARSIZE(out, size);
	p = VARDATA(out);
	memset(p, 0, 8);
	p[0] = SERIAL_VERSION;
	p[1] = st->have_budget ? 1 : 0;
	memcpy(p + 8, &st->budget, 8);
	memcpy(p + 16, &st->candidates, 8);
	n = (int64) st->n;
	memcpy(p + 24, &n, 8);
	p += PLAN_SER_HDR;
	for (i = 0; i < st->n; i++, p += PLAN_SER_ITEM)
	{
		memcpy(p, &st->items[i].id, 8);
		memcpy(p + 8, &st->items[i].p, 8);
		memcpy(p + 16, &st->items[i].value, 8);
		memcpy(p + 24, &st->items[i].cost, 8);
	}
	PG_RETURN_BYTEA_P(out);
}

static void
corrupt_partial(const char *what, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("%s partial state is corrupt (%s)", what, detail)));
}

Datum
target_plan_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = b2b_agg_context(fcinfo, "target_plan_deserialize");
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(in);
	Size		len = VARSIZE_ANY_EXHDR(in);
	TpState  *st;
	int64		n;
	Size		i;
	int			j;

	if (len < PLAN_SER_HDR || p[0] != SERIAL_VERSION || (p[1] != 0 && p[1] != 1))
		corrupt_partial("target_plan_agg", "header");
	for (j = 2; j < 8; j++)
		if (p[j] != 0)
			corrupt_partial("target_plan_agg", "header");
	st = plan_state_new(aggctx);
	st->have_budget = p[1] == 1;
	memcpy(&st->budget, p + 8, 8);
	memcpy(&st->candidates, p + 16, 8);
	memcpy(&n, p + 24, 8);
	if (n < 0 || st->candidates < n ||
		(double) n * PLAN_SER_ITEM != (double) (len - PLAN_SER_HDR))
		corrupt_partial("target_plan_agg", "length");
	if (st->have_budget ? (!isfinite(st->budget) || st->budget < 0) : (st->budget != 0 || n != 0))
		corrupt_partial("target_plan_agg", "budget");
	plan_reserve(aggctx, st, (Size) n);
	p += PLAN_SER_HDR;
	for (i = 0; i < (Size) n; i++, p += PLAN_SER_ITEM)
	{
		tp_item    *it = &st->items[i];

		memcpy(&it->id, p, 8);
		memcpy(&it->p, p + 8, 8);
		memcpy(&it->value, p + 16, 8);
		memcpy(&it->cost, p + 24, 8);
		if (!(it->p >= 0 && it->p <= 1) || !isfinite(it->value) ||
			!isfinite(it->cost) || it->cost < 0)
			corrupt_partial("target_plan_agg", "candidate");
		tp_item_init(it);
		if (!plan_keeps(it, st->budget))
			corrupt_partial("target_plan_agg", "candidate");
	}
	st->n = (Size) n;
	PG_RETURN_POINTER(st);
}

/* ---- the target_plan type ---- */

typedef struct PlanItem
{
	int64		id;
	double		p;
	double		value;
	double		cost;
} PlanItem;

typedef struct TargetPlan
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;			/* bit 0: exact */
	uint16		reserved;		/* 0 */
	int32		nchosen;
	int64		candidates;
	double		budget;
	double		upper_bound;
	PlanItem	items[FLEXIBLE_ARRAY_MEMBER];	/* in rank order */
} TargetPlan;

#define PLAN_HDR offsetof(TargetPlan, items)
#define PLAN_MAX_ITEMS ((int) ((MaxAllocSize - PLAN_HDR) / sizeof(PlanItem)))
#define PLAN_EXACT 1

static TargetPlan *
plan_new(Size n)
{
	TargetPlan *t;
	Size		size;

	if (n > (Size) PLAN_MAX_ITEMS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a target_plan holds at most %d chosen candidates, got %zu",
						PLAN_MAX_ITEMS, n)));
	size = PLAN_HDR + n * sizeof(PlanItem);
	t = palloc0(size);
	SET_VARSIZE(t, size);
	t->version = TP_VERSION;
	t->nchosen = (int32) n;
	return t;
}

/* The plan as the core sees it (items palloc'd). */
static void
plan_view(const TargetPlan *t, tp_plan *v)
{
	int			i;

	v->candidates = t->candidates;
	v->budget = t->budget;
	v->upper_bound = t->upper_bound;
	v->exact = (t->flags & PLAN_EXACT) != 0;
	v->n = t->nchosen;
	v->items = palloc(sizeof(tp_item) * Max(t->nchosen, 1));
	for (i = 0; i < t->nchosen; i++)
	{
		v->items[i].id = t->items[i].id;
		v->items[i].p = t->items[i].p;
		v->items[i].value = t->items[i].value;
		v->items[i].cost = t->items[i].cost;
		tp_item_init(&v->items[i]);
	}
}

static TargetPlan *
plan_from_view(const tp_plan *v)
{
	TargetPlan *t = plan_new(v->n);
	Size		i;

	t->flags = v->exact ? PLAN_EXACT : 0;
	t->candidates = v->candidates;
	t->budget = v->budget;
	t->upper_bound = v->upper_bound;
	for (i = 0; i < v->n; i++)
	{
		t->items[i].id = v->items[i].id;
		t->items[i].p = v->items[i].p;
		t->items[i].value = v->items[i].value;
		t->items[i].cost = v->items[i].cost;
	}
	return t;
}

static TargetPlan *
plan_validate(TargetPlan *t)
{
	tp_plan		v;
	const char *problem;

	if (VARSIZE(t) < PLAN_HDR)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("target_plan value is truncated")));
	b2b_check_version(t->version, TP_VERSION, "target_plan");
	if ((t->flags & ~PLAN_EXACT) != 0 || t->reserved != 0 || t->nchosen < 0 ||
		VARSIZE(t) != PLAN_HDR + (Size) t->nchosen * sizeof(PlanItem))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("target_plan value is corrupt (header)")));
	plan_view(t, &v);
	problem = tp_plan_problem(&v);
	pfree(v.items);
	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("target_plan value is corrupt: %s", problem)));
	return t;
}

#define PG_GETARG_TARGET_PLAN(n) plan_validate((TargetPlan *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

Datum
target_plan_final(PG_FUNCTION_ARGS)
{
	TpState  *st;
	tp_result	res;
	tp_plan		v;

	b2b_agg_context(fcinfo, "target_plan_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (TpState *) PG_GETARG_POINTER(0);
	if (!st->have_budget)
		PG_RETURN_NULL();
	if (!tp_solve(st->items, st->n, st->budget, TP_DP_MAX_CELLS, &res,
				  tg_palloc, tg_pfree, tg_interrupt))
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory in target_plan_agg")));
	v.candidates = st->candidates;
	v.budget = st->budget;
	v.upper_bound = res.upper_bound;
	v.exact = res.exact;
	v.n = res.nchosen;
	v.items = st->items;
	PG_RETURN_POINTER(plan_from_view(&v));
}

#define PLAN_HINT "A target_plan is the JSON object target_plan_agg writes: {\"version\": 1, \"budget\": B, \"candidates\": N, \"exact\": true, \"upper_bound\": U, \"ids\": [...], \"p\": [...], \"value\": [...], \"cost\": [...]}, the chosen candidates with p in [0, 1], cost >= 0, p * value - cost > 0 and total cost <= budget."

Datum
target_plan_out(PG_FUNCTION_ARGS)
{
	TargetPlan *t = PG_GETARG_TARGET_PLAN(0);
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\": %d, \"budget\": ", TP_VERSION);
	b2b_append_float8(&buf, t->budget);
	appendStringInfo(&buf, ", \"candidates\": " INT64_FORMAT ", \"exact\": %s, \"upper_bound\": ",
					 t->candidates, (t->flags & PLAN_EXACT) ? "true" : "false");
	b2b_append_float8(&buf, t->upper_bound);
	appendStringInfoString(&buf, ", \"ids\": [");
	for (i = 0; i < t->nchosen; i++)
		appendStringInfo(&buf, "%s" INT64_FORMAT, i ? ", " : "", t->items[i].id);
	appendStringInfoString(&buf, "], \"p\": [");
	for (i = 0; i < t->nchosen; i++)
	{
		if (i)
			appendStringInfoString(&buf, ", ");
		b2b_append_float8(&buf, t->items[i].p);
	}
	appendStringInfoString(&buf, "], \"value\": [");
	for (i = 0; i < t->nchosen; i++)
	{
		if (i)
			appendStringInfoString(&buf, ", ");
		b2b_append_float8(&buf, t->items[i].value);
	}
	appendStringInfoString(&buf, "], \"cost\": [");
	for (i = 0; i < t->nchosen; i++)
	{
		if (i)
			appendStringInfoString(&buf, ", ");
		b2b_append_float8(&buf, t->items[i].cost);
	}
	appendStringInfoString(&buf, "]}");
	PG_RETURN_CSTRING(buf.data);
}

static const char *
shorten(const char *s)
{
	return strlen(s) > 200 ? psprintf("%.200s...", s) : s;
}

Datum
target_plan_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char		err[BJ_ERR_SIZE];
	const char *problem;
	tp_plan		v;
	TargetPlan *t;

	problem = tp_plan_parse(str, strlen(str), PLAN_MAX_ITEMS, &v, tg_palloc, tg_pfree,
							err, sizeof(err));
	if (problem)
		b2b_input_error(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type target_plan: \"%s\"", shorten(str)),
						 errdetail("%s", problem),
						 errhint(PLAN_HINT)));
	t = plan_from_view(&v);
	pfree(v.items);
	PG_RETURN_POINTER(t);
}

/*
 * Binary: version byte, flags byte, int64 candidates, float8 budget,
 * float8 upper_bound, int32 n, then n x (int64 id, float8 p, value, cost).
 */
Datum
target_plan_send(PG_FUNCTION_ARGS)
{
	TargetPlan *t = PG_GETARG_TARGET_PLAN(0);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, TP_VERSION);
	pq_sendbyte(&buf, t->flags);
	pq_sendint64(&buf, t->candidates);
	pq_sendfloat8(&buf, t->budget);
	pq_sendfloat8(&buf, t->upper_bound);
	pq_sendint32(&buf, t->nchosen);
	for (i = 0; i < t->nchosen; i++)
	{
		pq_sendint64(&buf, t->items[i].id);
		pq_sendfloat8(&buf, t->items[i].p);
		pq_sendfloat8(&buf, t->items[i].value);
		pq_sendfloat8(&buf, t->items[i].cost);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
bad_binary(const char *typname, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary %s: %s", typname, detail)));
}

Datum
target_plan_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	TargetPlan *t;
	int			version,
				flags,
				n,
				i;
	int64		cand;
	double		budget,
				ub;
	tp_plan		v;
	const char *problem;

	if (buf->len - buf->cursor < 2 + 8 + 8 + 8 + 4)
		bad_binary("target_plan", "truncated");
	version = pq_getmsgbyte(buf);
	if (version != TP_VERSION)
		bad_binary("target_plan", psprintf("unknown version %d", version));
	flags = pq_getmsgbyte(buf);
	if ((flags & ~PLAN_EXACT) != 0)
		bad_binary("target_plan", psprintf("unknown flags %d", flags));
	cand = (int64) pq_getmsgint64(buf);
	budget = pq_getmsgfloat8(buf);
	ub = pq_getmsgfloat8(buf);
	n = (int32) pq_getmsgint(buf, 4);
	if (n < 0 || n > PLAN_MAX_ITEMS || (Size) (buf->len - buf->cursor) != (Size) n * 32)
		bad_binary("target_plan", psprintf("%d candidates in %d bytes", n, buf->len - buf->cursor));
	t = plan_new(n);
	t->flags = flags;
	t->candidates = cand;
	t->budget = budget;
	t->upper_bound = ub;
	for (i = 0; i < n; i++)
	{
		t->items[i].id = (int64) pq_getmsgint64(buf);
		t->items[i].p = pq_getmsgfloat8(buf);
		t->items[i].value = pq_getmsgfloat8(buf);
		t->items[i].cost = pq_getmsgfloat8(buf);
	}
	plan_view(t, &v);
	problem = tp_plan_problem(&v);
	pfree(v.items);
	if (problem)
		bad_binary("target_plan", problem);
	PG_RETURN_POINTER(t);
}

/* target_plan_rows(plan): the chosen, in rank order, with running totals */
Datum
target_plan_rows(PG_FUNCTION_ARGS)
{
	TargetPlan *t = PG_GETARG_TARGET_PLAN(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	double		cc = 0,
				cv = 0;
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	for (i = 0; i < t->nchosen; i++)
	{
		Datum		values[8];
		bool		nulls[8] = {false};
		PlanItem   *it = &t->items[i];
		double		ev = tp_expected_value(it->p, it->value, it->cost);

		cc += it->cost;
		cv += ev;
		values[0] = Int64GetDatum(it->id);
		values[1] = Int32GetDatum(i + 1);
		values[2] = PropensityGetDatum(it->p);
		values[3] = Float8GetDatum(it->value);
		values[4] = Float8GetDatum(it->cost);
		values[5] = Float8GetDatum(ev);
		values[6] = Float8GetDatum(cc);
		values[7] = Float8GetDatum(cv);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* target_plan_summary(plan): one row */
Datum
target_plan_summary(PG_FUNCTION_ARGS)
{
	TargetPlan *t = PG_GETARG_TARGET_PLAN(0);
	TupleDesc	td;
	Datum		v[8];
	bool		nulls[8] = {false};
	double		spend = 0,
				conv = 0,
				ev = 0;
	int			i;

	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("target_plan_summary must be called where a record is accepted")));
	td = BlessTupleDesc(td);
	for (i = 0; i < t->nchosen; i++)
	{
		spend += t->items[i].cost;
		conv += t->items[i].p;
		ev += tp_expected_value(t->items[i].p, t->items[i].value, t->items[i].cost);
	}
	v[0] = Int64GetDatum(t->candidates);
	v[1] = Int64GetDatum(t->nchosen);
	v[2] = Float8GetDatum(spend);
	v[3] = Float8GetDatum(conv);
	v[4] = Float8GetDatum(ev);
	v[5] = Float8GetDatum(t->upper_bound);
	v[6] = BoolGetDatum((t->flags & PLAN_EXACT) != 0);
	v[7] = Float8GetDatum(t->budget);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(td, v, nulls)));
}

/* =====================================================================
 * Scores per class: the state of calibration_fit (2 classes: negatives,
 * positives) and uplift_agg (4: control, control converted, treated,
 * treated converted).  tag: calibration_fit's method.
 * ===================================================================== */

#define MAX_CLASSES 4

typedef struct ScoreVec
{
	double	   *v;
	Size		n;
	Size		cap;
} ScoreVec;

typedef struct ClassState
{
	MemoryContext ctx;
	int			nclass;
	int			tag;
	bool		sorted;
	ScoreVec	c[MAX_CLASSES];
} ClassState;

static ClassState *
class_state_new(MemoryContext ctx, int nclass, int tag)
{
	ClassState *st = MemoryContextAllocZero(ctx, sizeof(ClassState));

	st->ctx = ctx;
	st->nclass = nclass;
	st->tag = tag;
	st->sorted = true;
	return st;
}

static void
score_reserve(MemoryContext ctx, ScoreVec *s, Size more)
{
	Size		need = s->n + more;

	if (need <= s->cap)
		return;
	if (need > MaxAllocHugeSize / sizeof(double) / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many rows for a targeting aggregate")));
	s->cap = Max(need, s->cap == 0 ? 1024 : s->cap * 2);
	s->v = s->v == NULL ? MemoryContextAllocHuge(ctx, s->cap * sizeof(double))
		: repalloc_huge(s->v, s->cap * sizeof(double));
}

static inline void
class_add(ClassState *st, int k, double s)
{
	ScoreVec   *v = &st->c[k];

	if (v->n == v->cap)
		score_reserve(st->ctx, v, 1);
	v->v[v->n++] = (s == 0) ? 0.0 : s;
	st->sorted = false;
}

static void
check_score(double s)
{
	if (!isfinite(s))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("score %g is not finite", s),
				 errhint("Scores are finite numbers; a NULL score or label skips the row.")));
}

Datum
class_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = b2b_agg_context(fcinfo, "class_combine");
	ClassState *a = PG_ARGISNULL(0) ? NULL : (ClassState *) PG_GETARG_POINTER(0);
	ClassState *b = PG_ARGISNULL(1) ? NULL : (ClassState *) PG_GETARG_POINTER(1);
	int			k;

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = class_state_new(aggctx, b->nclass, b->tag);
	if (a->tag != b->tag)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("calibration_fit method differs between rows"),
				 errhint("Pass one method ('isotonic' or 'platt') for the whole fit.")));
	for (k = 0; k < a->nclass; k++)
	{
		ScoreVec   *d = &a->c[k];
		ScoreVec   *s = &b->c[k];

		if (s->n == 0)
			continue;
		score_reserve(aggctx, d, s->n);
		memcpy(d->v + d->n, s->v, s->n * sizeof(double));
		d->n += s->n;
	}
	a->sorted = false;
	PG_RETURN_POINTER(a);
}

/*
 * Serialized: version, nclass, tag, 5 bytes 0, nclass x int64 counts, then
 * the scores of each class (native float8, within one query only).
 */
Datum
class_serialize(PG_FUNCTION_ARGS)
{
	ClassState *st;
	bytea	   *out;
	char	   *p;
	Size		size,
				total = 0;
	int			k;

	b2b_agg_context(fcinfo, "class_serialize");
	st = (ClassState *) PG_GETARG_POINTER(0);
	for (k = 0; k < st->nclass; k++)
		total += st->c[k].n;
	if ((double) total * sizeof(double) > (double) (MaxAllocSize - 1024))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("partial state of a parallel worker exceeds 1 GB (%zu rows)", total),
				 errhint("Aggregate without parallel workers (SET max_parallel_workers_per_gather = 0), or in groups.")));
	size = VARHDRSZ + 8 + 8 * st->nclass + total * sizeof(double);
	out = (bytea *) palloc(size);
	SET_VARSIZE(out, size);
	p = VARDATA(out);
	memset(p, 0, 8);
	p[0] = SERIAL_VERSION;
	p[1] = (char) st->nclass;
	p[2] = (char) st->tag;
	for (k = 0; k < st->nclass; k++)
	{
		int64		n = st->c[k].n;

		memcpy(p + 8 + 8 * k, &n, 8);
	}
	p += 8 + 8 * st->nclass;
	for (k = 0; k < st->nclass; k++)
	{
		if (st->c[k].n)
			memcpy(p, st->c[k].v, st->c[k].n * sizeof(double));
		p += st->c[k].n * sizeof(double);
	}
	PG_RETURN_BYTEA_P(out);
}

Datum
class_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = b2b_agg_context(fcinfo, "class_deserialize");
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(in);
	Size		len = VARSIZE_ANY_EXHDR(in);
	ClassState *st;
	int64		n[MAX_CLASSES];
	double		total = 0;
	int			nclass,
				k,
				j;

	if (len < 8 || p[0] != SERIAL_VERSION || (p[1] != 2 && p[1] != 4) || p[2] < 0 || p[2] > CAL_PLATT)
		corrupt_partial("targeting aggregate", "header");
	for (j = 3; j < 8; j++)
		if (p[j] != 0)
			corrupt_partial("targeting aggregate", "header");
	nclass = p[1];
	if (len < 8 + 8 * (Size) nclass)
		corrupt_partial("targeting aggregate", "length");
	for (k = 0; k < nclass; k++)
	{
		memcpy(&n[k], p + 8 + 8 * k, 8);
		if (n[k] < 0)
			corrupt_partial("targeting aggregate", "length");
		total += (double) n[k];
	}
	if (total * sizeof(double) != (double) (len - 8 - 8 * nclass))
		corrupt_partial("targeting aggregate", "length");
	st = class_state_new(aggctx, nclass, p[2]);
	p += 8 + 8 * nclass;
	for (k = 0; k < nclass; k++)
	{
		Size		i;

		score_reserve(aggctx, &st->c[k], n[k]);
		memcpy(st->c[k].v, p, n[k] * sizeof(double));
		st->c[k].n = n[k];
		p += n[k] * sizeof(double);
		for (i = 0; i < st->c[k].n; i++)
			if (!isfinite(st->c[k].v[i]))
				corrupt_partial("targeting aggregate", "score");
	}
	st->sorted = false;
	PG_RETURN_POINTER(st);
}

static void
class_sort(ClassState *st)
{
	Size		n = 1;
	double	   *tmp;
	int			k;

	if (st->sorted)
		return;
	for (k = 0; k < st->nclass; k++)
		n = Max(n, st->c[k].n);
	tmp = MemoryContextAllocHuge(CurrentMemoryContext, n * sizeof(double));
	for (k = 0; k < st->nclass; k++)
		ev_sort(st->c[k].v, st->c[k].n, tmp);
	pfree(tmp);
	st->sorted = true;
}

/* =====================================================================
 * Calibration
 * ===================================================================== */

static int
calibration_method(text *t)
{
	char	   *m = text_to_cstring(t);

	if (strcmp(m, "isotonic") == 0)
		return CAL_ISOTONIC;
	if (strcmp(m, "platt") == 0 || strcmp(m, "sigmoid") == 0)
		return CAL_PLATT;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown calibration method \"%s\"", m),
			 errhint("Use 'isotonic' (pool-adjacent-violators) or 'platt' (a sigmoid; 'sigmoid' is accepted too).")));
	return 0;
}

/* calibration_fit(score, label [, method]): NULL score or label skips the row */
Datum
calibration_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = b2b_agg_context(fcinfo, "calibration_trans");
	ClassState *st = PG_ARGISNULL(0) ? NULL : (ClassState *) PG_GETARG_POINTER(0);
	int			method = CAL_ISOTONIC;
	double		s;

	if (PG_NARGS() > 3)
	{
		if (PG_ARGISNULL(3))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("calibration_fit method is NULL"),
					 errhint("Use 'isotonic' or 'platt'.")));
		method = calibration_method(PG_GETARG_TEXT_PP(3));
	}
	if (st == NULL)
		st = class_state_new(aggctx, 2, method);
	else if (st->tag != method)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("calibration_fit method differs between rows"),
				 errhint("Pass one method ('isotonic' or 'platt') for the whole fit.")));
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);
	s = PG_GETARG_FLOAT8(1);
	check_score(s);
	class_add(st, PG_GETARG_BOOL(2) ? 1 : 0, s);
	PG_RETURN_POINTER(st);
}

typedef struct Calibrator
{
	int32		vl_len_;
	uint8		version;
	uint8		method;
	uint16		reserved;		/* 0 */
	int32		npoints;
	int32		reserved2;		/* 0 */
	int64		rows;
	int64		positives;
	double		a;
	double		b;
	double		xy[FLEXIBLE_ARRAY_MEMBER];	/* x[n], then y[n] */
} Calibrator;

#define CAL_HDR offsetof(Calibrator, xy)
#define CAL_MAX_POINTS ((int) ((MaxAllocSize - CAL_HDR) / 16))
#define CAL_X(c) ((c)->xy)
#define CAL_Y(c) ((c)->xy + (c)->npoints)

static Calibrator *
calibrator_new(int method, Size n)
{
	Calibrator *c;
	Size		size;

	if (n > (Size) CAL_MAX_POINTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a calibrator holds at most %d points, got %zu", CAL_MAX_POINTS, n),
				 errhint("Round the scores so fewer are distinct.")));
	size = CAL_HDR + n * 16;
	c = palloc0(size);
	SET_VARSIZE(c, size);
	c->version = CAL_VERSION;
	c->method = method;
	c->npoints = (int32) n;
	return c;
}

static void
calibrator_view(const Calibrator *c, cal_model *m)
{
	m->method = c->method;
	m->rows = c->rows;
	m->positives = c->positives;
	m->a = c->a;
	m->b = c->b;
	m->n = c->npoints;
	m->x = (double *) CAL_X(c);
	m->y = (double *) CAL_Y(c);
}

static const char *
calibrator_problem(const Calibrator *c)
{
	cal_model	m;

	calibrator_view(c, &m);
	return cal_model_problem(&m);
}

/* What every read needs: sizes, version, method, a and b finite. */
static void
calibrator_check_header(const Calibrator *c)
{
	if (VARSIZE(c) < CAL_HDR)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("calibrator value is truncated")));
	b2b_check_version(c->version, CAL_VERSION, "calibrator");
	if (c->reserved != 0 || c->reserved2 != 0 || c->npoints < 0 ||
		VARSIZE(c) != CAL_HDR + (Size) c->npoints * 16)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("calibrator value is corrupt (header)")));
	if ((c->method != CAL_ISOTONIC && c->method != CAL_PLATT) ||
		(c->method == CAL_PLATT && (c->npoints != 0 || !isfinite(c->a) || !isfinite(c->b))) ||
		(c->method == CAL_ISOTONIC && c->npoints < 1))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("calibrator value is corrupt (method)")));
}

static Calibrator *
calibrator_validate(Calibrator *c)
{
	const char *problem;

	calibrator_check_header(c);
	problem = calibrator_problem(c);
	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("calibrator value is corrupt: %s", problem)));
	return c;
}

#define PG_GETARG_CALIBRATOR(n) calibrator_validate((Calibrator *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

/*
 * Descending tie groups of two sorted classes (ev_groups of eval_core):
 * class 1 counts as positive.
 */
typedef struct Groups
{
	Size		n;
	double	   *score;
	int64	   *rows;
	int64	   *pos;
} Groups;

static void
groups_of(const ScoreVec *neg, const ScoreVec *pos, Groups *g)
{
	Size		n = neg->n + pos->n;

	g->score = MemoryContextAllocHuge(CurrentMemoryContext, Max(n, 1) * sizeof(double));
	g->rows = MemoryContextAllocHuge(CurrentMemoryContext, Max(n, 1) * sizeof(int64));
	g->pos = MemoryContextAllocHuge(CurrentMemoryContext, Max(n, 1) * sizeof(int64));
	g->n = ev_groups(pos->v, pos->n, neg->v, neg->n, g->score, (int64_t *) g->rows,
					 (int64_t *) g->pos);
}

Datum
calibration_final(PG_FUNCTION_ARGS)
{
	ClassState *st;
	Groups		g;
	Calibrator *c;
	int64		rows,
				pos;
	Size		i;

	b2b_agg_context(fcinfo, "calibration_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (ClassState *) PG_GETARG_POINTER(0);
	pos = st->c[1].n;
	rows = st->c[0].n + pos;
	if (rows == 0)
		PG_RETURN_NULL();
	if (pos == 0 || pos == rows)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("calibration_fit needs both outcomes; all " INT64_FORMAT " labels are %s",
						rows, pos ? "true" : "false"),
				 errhint("Fit on rows where some converted and some did not.")));
	class_sort(st);
	groups_of(&st->c[0], &st->c[1], &g);
	if (st->tag == CAL_PLATT)
	{
		c = calibrator_new(CAL_PLATT, 0);
		cal_platt_fit(g.score, (int64_t *) g.rows, (int64_t *) g.pos, g.n, &c->a, &c->b);
	}
	else
	{
		/* ascending: x, the positive rate, the rows as weights */
		double	   *x = palloc(g.n * sizeof(double));
		double	   *y = palloc(g.n * sizeof(double));
		double	   *w = palloc(g.n * sizeof(double));
		double	   *ox = palloc(g.n * sizeof(double));
		double	   *oy = palloc(g.n * sizeof(double));
		Size		k;

		for (i = 0; i < g.n; i++)
		{
			Size		j = g.n - 1 - i;

			x[i] = g.score[j];
			y[i] = (double) g.pos[j] / (double) g.rows[j];
			w[i] = (double) g.rows[j];
		}
		k = cal_isotonic_fit(x, y, w, g.n, ox, oy, tg_palloc, tg_pfree);
		c = calibrator_new(CAL_ISOTONIC, k);
		memcpy(CAL_X(c), ox, k * sizeof(double));
		memcpy(CAL_Y(c), oy, k * sizeof(double));
	}
	c->rows = rows;
	c->positives = pos;
	calibrator_validate(c);
	PG_RETURN_POINTER(c);
}

#define CAL_HINT "A calibrator is the JSON object calibration_fit writes: {\"version\": 1, \"method\": \"isotonic\", \"rows\": N, \"positives\": P, \"x\": [...], \"y\": [...]} (x strictly increasing, y non-decreasing in [0, 1]) or {\"version\": 1, \"method\": \"platt\", \"rows\": N, \"positives\": P, \"a\": A, \"b\": B}, with 0 < P < N."

static void
append_float_array(StringInfo buf, const double *v, int n)
{
	int			i;

	appendStringInfoChar(buf, '[');
	for (i = 0; i < n; i++)
	{
		if (i)
			appendStringInfoString(buf, ", ");
		b2b_append_float8(buf, v[i]);
	}
	appendStringInfoChar(buf, ']');
}

Datum
calibrator_out(PG_FUNCTION_ARGS)
{
	Calibrator *c = PG_GETARG_CALIBRATOR(0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\": %d, \"method\": \"%s\", \"rows\": " INT64_FORMAT
					 ", \"positives\": " INT64_FORMAT,
					 CAL_VERSION, c->method == CAL_PLATT ? "platt" : "isotonic",
					 c->rows, c->positives);
	if (c->method == CAL_PLATT)
	{
		appendStringInfoString(&buf, ", \"a\": ");
		b2b_append_float8(&buf, c->a);
		appendStringInfoString(&buf, ", \"b\": ");
		b2b_append_float8(&buf, c->b);
	}
	else
	{
		appendStringInfoString(&buf, ", \"x\": ");
		append_float_array(&buf, CAL_X(c), c->npoints);
		appendStringInfoString(&buf, ", \"y\": ");
		append_float_array(&buf, CAL_Y(c), c->npoints);
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

Datum
calibrator_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char		err[BJ_ERR_SIZE];
	const char *problem;
	cal_model	m;
	Calibrator *c;

	problem = cal_model_parse(str, strlen(str), CAL_MAX_POINTS, &m, tg_palloc, tg_pfree,
							  err, sizeof(err));
	if (problem)
		b2b_input_error(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type calibrator: \"%s\"", shorten(str)),
						 errdetail("%s", problem),
						 errhint(CAL_HINT)));
	c = calibrator_new(m.method, m.n);
	c->rows = m.rows;
	c->positives = m.positives;
	c->a = m.method == CAL_PLATT ? m.a : 0;
	c->b = m.method == CAL_PLATT ? m.b : 0;
	if (m.n)
	{
		memcpy(CAL_X(c), m.x, m.n * sizeof(double));
		memcpy(CAL_Y(c), m.y, m.n * sizeof(double));
		pfree(m.x);
		pfree(m.y);
	}
	PG_RETURN_POINTER(c);
}

/*
 * Binary: version, method, int64 rows, int64 positives, then float8 a,
 * float8 b (platt) or int32 n and n x (float8 x, float8 y) (isotonic).
 */
Datum
calibrator_send(PG_FUNCTION_ARGS)
{
	Calibrator *c = PG_GETARG_CALIBRATOR(0);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CAL_VERSION);
	pq_sendbyte(&buf, c->method);
	pq_sendint64(&buf, c->rows);
	pq_sendint64(&buf, c->positives);
	if (c->method == CAL_PLATT)
	{
		pq_sendfloat8(&buf, c->a);
		pq_sendfloat8(&buf, c->b);
	}
	else
	{
		pq_sendint32(&buf, c->npoints);
		for (i = 0; i < c->npoints; i++)
		{
			pq_sendfloat8(&buf, CAL_X(c)[i]);
			pq_sendfloat8(&buf, CAL_Y(c)[i]);
		}
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
calibrator_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	Calibrator *c;
	int			version,
				method,
				n,
				i;
	int64		rows,
				pos;
	const char *problem;

	if (buf->len - buf->cursor < 2 + 16 + 4)
		bad_binary("calibrator", "truncated");
	version = pq_getmsgbyte(buf);
	if (version != CAL_VERSION)
		bad_binary("calibrator", psprintf("unknown version %d", version));
	method = pq_getmsgbyte(buf);
	if (method != CAL_ISOTONIC && method != CAL_PLATT)
		bad_binary("calibrator", psprintf("unknown method %d", method));
	rows = (int64) pq_getmsgint64(buf);
	pos = (int64) pq_getmsgint64(buf);
	if (method == CAL_PLATT)
	{
		if (buf->len - buf->cursor != 16)
			bad_binary("calibrator", psprintf("%d bytes for a and b", buf->len - buf->cursor));
		c = calibrator_new(CAL_PLATT, 0);
		c->a = pq_getmsgfloat8(buf);
		c->b = pq_getmsgfloat8(buf);
	}
	else
	{
		n = (int32) pq_getmsgint(buf, 4);
		if (n < 0 || n > CAL_MAX_POINTS || (Size) (buf->len - buf->cursor) != (Size) n * 16)
			bad_binary("calibrator", psprintf("%d points in %d bytes", n, buf->len - buf->cursor));
		c = calibrator_new(CAL_ISOTONIC, n);
		for (i = 0; i < n; i++)
		{
			CAL_X(c)[i] = pq_getmsgfloat8(buf);
			CAL_Y(c)[i] = pq_getmsgfloat8(buf);
		}
	}
	c->rows = rows;
	c->positives = pos;
	problem = calibrator_problem(c);
	if (problem)
		bad_binary("calibrator", problem);
	PG_RETURN_POINTER(c);
}

/*
 * calibrate(calibrator, score).  The header checks (which keep every read
 * in bounds) run on each call; the O(points) checks of the content run
 * once per query while the same argument comes back (a constant or a
 * scalar subquery, the usual case: 10 million rows must not validate a
 * calibrator 10 million times).
 */
typedef struct CalCache
{
	const void *raw;
	Size		rawlen;
} CalCache;

Datum
calibrate(PG_FUNCTION_ARGS)
{
	const void *raw = DatumGetPointer(PG_GETARG_DATUM(0));
	double		s = PG_GETARG_FLOAT8(1);
	CalCache   *cache = (CalCache *) fcinfo->flinfo->fn_extra;
	Size		rawlen = VARSIZE_ANY(raw);
	Calibrator *c;
	double		p;

	if (isnan(s))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("calibrate score is NaN"),
				 errhint("Scores are numbers; a NULL score gives NULL.")));
	c = (Calibrator *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	if (cache != NULL && cache->raw == raw && cache->rawlen == rawlen)
		calibrator_check_header(c);
	else
	{
		calibrator_validate(c);
		if (cache == NULL)
			cache = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(CalCache));
		cache->raw = raw;
		cache->rawlen = rawlen;
		fcinfo->flinfo->fn_extra = cache;
	}
	if (c->method == CAL_PLATT)
		p = cal_platt_predict(c->a, c->b, s);
	else
		p = cal_isotonic_predict(CAL_X(c), CAL_Y(c), c->npoints, s);
	PG_RETURN_PROPENSITY(p);
}

/* calibration_table(lift, bins, strategy): the reliability diagram */
Datum
calibration_table(PG_FUNCTION_ARGS)
{
	ev_lift		l;
	int			bins = PG_GETARG_INT32(1);
	char	   *strategy = text_to_cstring(PG_GETARG_TEXT_PP(2));
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			strat;
	int64	   *brows,
			   *bpos;
	double	   *bsum,
			   *edges;
	int			b;

	b2b_lift_groups(PG_GETARG_DATUM(0), &l);
	if (bins < 1 || bins > MAX_BINS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("calibration_table bins %d is out of range", bins),
				 errhint("Give 1 to %d bins (10 is usual).", MAX_BINS)));
	if (strcmp(strategy, "uniform") == 0)
		strat = 0;
	else if (strcmp(strategy, "quantile") == 0)
		strat = 1;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown calibration_table strategy \"%s\"", strategy),
				 errhint("Use 'uniform' (bins of equal width on [0, 1]) or 'quantile' (bins of equal counts).")));
	if (l.ngroups > 0 && (l.score[0] > 1 || l.score[l.ngroups - 1] < 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("calibration_table needs scores in [0, 1], got %g to %g",
						l.score[l.ngroups - 1], l.score[0]),
				 errhint("A reliability table compares probabilities with outcomes: calibrate raw scores first (calibrate(calibrator, score)).")));
	InitMaterializedSRF(fcinfo, 0);
	brows = palloc(sizeof(int64) * bins);
	bpos = palloc(sizeof(int64) * bins);
	bsum = palloc(sizeof(double) * bins);
	edges = palloc(sizeof(double) * (bins + 1));
	cal_curve_bins(l.score, l.rows, l.positives, l.ngroups, bins, strat,
				   (int64_t *) brows, (int64_t *) bpos, bsum, edges);
	for (b = 0; b < bins; b++)
	{
		Datum		values[4];
		bool		nulls[4] = {false};

		if (brows[b] == 0)
			continue;
		values[0] = Int32GetDatum(b + 1);
		values[1] = Int64GetDatum(brows[b]);
		values[2] = Float8GetDatum(bsum[b] / (double) brows[b]);
		values[3] = Float8GetDatum((double) bpos[b] / (double) brows[b]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* =====================================================================
 * Uplift
 * ===================================================================== */

/* classes: 0 control, 1 control converted, 2 treated, 3 treated converted */
Datum
uplift_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = b2b_agg_context(fcinfo, "uplift_trans");
	ClassState *st = PG_ARGISNULL(0) ? NULL : (ClassState *) PG_GETARG_POINTER(0);
	double		s;

	if (st == NULL)
		st = class_state_new(aggctx, 4, 0);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_POINTER(st);
	s = PG_GETARG_FLOAT8(1);
	check_score(s);
	class_add(st, (PG_GETARG_BOOL(2) ? 2 : 0) + (PG_GETARG_BOOL(3) ? 1 : 0), s);
	PG_RETURN_POINTER(st);
}

typedef struct Uplift
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;			/* 0 */
	uint16		reserved;		/* 0 */
	int32		ngroups;
	int32		reserved2;		/* 0 */
	double		data[FLEXIBLE_ARRAY_MEMBER];	/* score[g]; then int64 nt[g],
												 * yt[g], nc[g], yc[g] */
} Uplift;

#define UP_HDR offsetof(Uplift, data)
#define UP_MAX_GROUPS ((int) ((MaxAllocSize - UP_HDR) / 40))
#define UP_SCORE(u) ((u)->data)
#define UP_ARR(u, k) ((int64 *) ((u)->data + (Size) (k) * (u)->ngroups))

static Uplift *
uplift_new(Size g)
{
	Uplift	   *u;
	Size		size;

	if (g > (Size) UP_MAX_GROUPS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("an uplift value holds at most %d distinct scores, got %zu", UP_MAX_GROUPS, g),
				 errhint("Round the scores (e.g. round(score::numeric, 6)) so fewer are distinct.")));
	size = UP_HDR + g * 40;
	u = palloc0(size);
	SET_VARSIZE(u, size);
	u->version = UP_VERSION;
	u->ngroups = (int32) g;
	return u;
}

static void
uplift_view(const Uplift *u, up_groups *v)
{
	v->n = u->ngroups;
	v->score = (double *) UP_SCORE(u);
	v->nt = (int64_t *) UP_ARR(u, 1);
	v->yt = (int64_t *) UP_ARR(u, 2);
	v->nc = (int64_t *) UP_ARR(u, 3);
	v->yc = (int64_t *) UP_ARR(u, 4);
}

static Uplift *
uplift_validate(Uplift *u)
{
	up_groups	v;
	const char *problem;

	if (VARSIZE(u) < UP_HDR)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("uplift value is truncated")));
	b2b_check_version(u->version, UP_VERSION, "uplift");
	if (u->flags != 0 || u->reserved != 0 || u->reserved2 != 0 || u->ngroups < 0 ||
		VARSIZE(u) != UP_HDR + (Size) u->ngroups * 40)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("uplift value is corrupt (header)")));
	uplift_view(u, &v);
	problem = up_problem(&v);
	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("uplift value is corrupt: %s", problem)));
	return u;
}

#define PG_GETARG_UPLIFT(n) uplift_validate((Uplift *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

Datum
uplift_final(PG_FUNCTION_ARGS)
{
	ClassState *st;
	Size		idx[4],
				n = 0,
				g = 0;
	Uplift	   *u,
			   *t;
	up_groups	v;
	int			k;

	b2b_agg_context(fcinfo, "uplift_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (ClassState *) PG_GETARG_POINTER(0);
	for (k = 0; k < 4; k++)
	{
		n += st->c[k].n;
		idx[k] = st->c[k].n;
	}
	if (n == 0)
		PG_RETURN_NULL();
	class_sort(st);
	u = uplift_new(n);
	uplift_view(u, &v);
	/* merge the four ascending arrays from their tops */
	for (;;)
	{
		double		s = -INFINITY;
		bool		any = false;
		int64		cnt[4];

		for (k = 0; k < 4; k++)
			if (idx[k] > 0 && (!any || st->c[k].v[idx[k] - 1] > s))
			{
				s = st->c[k].v[idx[k] - 1];
				any = true;
			}
		if (!any)
			break;
		for (k = 0; k < 4; k++)
		{
			cnt[k] = 0;
			while (idx[k] > 0 && st->c[k].v[idx[k] - 1] == s)
			{
				idx[k]--;
				cnt[k]++;
			}
		}
		v.score[g] = s;
		v.nt[g] = cnt[2] + cnt[3];
		v.yt[g] = cnt[3];
		v.nc[g] = cnt[0] + cnt[1];
		v.yc[g] = cnt[1];
		g++;
	}
	/* copy into a value of the right size */
	t = uplift_new(g);
	for (k = 0; k < 5; k++)
		memcpy(t->data + (Size) k * g, u->data + (Size) k * n, g * sizeof(double));
	pfree(u);
	uplift_validate(t);
	PG_RETURN_POINTER(t);
}

#define UP_HINT "An uplift is the JSON object uplift_agg writes: {\"version\": 1, \"scores\": [...], \"treated\": [...], \"treated_conversions\": [...], \"control\": [...], \"control_conversions\": [...]}, one entry per distinct score in descending order, at least one row each, conversions <= rows."

static void
append_int_array(StringInfo buf, const int64 *v, int n)
{
	int			i;

	appendStringInfoChar(buf, '[');
	for (i = 0; i < n; i++)
		appendStringInfo(buf, "%s" INT64_FORMAT, i ? ", " : "", v[i]);
	appendStringInfoChar(buf, ']');
}

Datum
uplift_out(PG_FUNCTION_ARGS)
{
	Uplift	   *u = PG_GETARG_UPLIFT(0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\": %d, \"scores\": ", UP_VERSION);
	append_float_array(&buf, UP_SCORE(u), u->ngroups);
	appendStringInfoString(&buf, ", \"treated\": ");
	append_int_array(&buf, UP_ARR(u, 1), u->ngroups);
	appendStringInfoString(&buf, ", \"treated_conversions\": ");
	append_int_array(&buf, UP_ARR(u, 2), u->ngroups);
	appendStringInfoString(&buf, ", \"control\": ");
	append_int_array(&buf, UP_ARR(u, 3), u->ngroups);
	appendStringInfoString(&buf, ", \"control_conversions\": ");
	append_int_array(&buf, UP_ARR(u, 4), u->ngroups);
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

static Uplift *
uplift_from_groups(const up_groups *v)
{
	Uplift	   *u = uplift_new(v->n);
	up_groups	d;

	uplift_view(u, &d);
	memcpy(d.score, v->score, v->n * sizeof(double));
	memcpy(d.nt, v->nt, v->n * sizeof(int64));
	memcpy(d.yt, v->yt, v->n * sizeof(int64));
	memcpy(d.nc, v->nc, v->n * sizeof(int64));
	memcpy(d.yc, v->yc, v->n * sizeof(int64));
	return u;
}

Datum
uplift_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char		err[BJ_ERR_SIZE];
	const char *problem;
	up_groups	v;
	Uplift	   *u;

	problem = up_parse(str, strlen(str), UP_MAX_GROUPS, &v, tg_palloc, tg_pfree,
					   err, sizeof(err));
	if (problem)
		b2b_input_error(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type uplift: \"%s\"", shorten(str)),
						 errdetail("%s", problem),
						 errhint(UP_HINT)));
	u = uplift_from_groups(&v);
	up_free(&v, tg_pfree);
	PG_RETURN_POINTER(u);
}

/* Binary: version, int32 groups, then per group float8 score and 4 x int64. */
Datum
uplift_send(PG_FUNCTION_ARGS)
{
	Uplift	   *u = PG_GETARG_UPLIFT(0);
	StringInfoData buf;
	int			i,
				k;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, UP_VERSION);
	pq_sendint32(&buf, u->ngroups);
	for (i = 0; i < u->ngroups; i++)
	{
		pq_sendfloat8(&buf, UP_SCORE(u)[i]);
		for (k = 1; k <= 4; k++)
			pq_sendint64(&buf, UP_ARR(u, k)[i]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
uplift_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version,
				g,
				i,
				k;
	Uplift	   *u;
	up_groups	v;
	const char *problem;

	if (buf->len - buf->cursor < 5)
		bad_binary("uplift", "truncated");
	version = pq_getmsgbyte(buf);
	if (version != UP_VERSION)
		bad_binary("uplift", psprintf("unknown version %d", version));
	g = (int32) pq_getmsgint(buf, 4);
	if (g < 0 || g > UP_MAX_GROUPS || (Size) (buf->len - buf->cursor) != (Size) g * 40)
		bad_binary("uplift", psprintf("%d groups in %d bytes", g, buf->len - buf->cursor));
	u = uplift_new(g);
	for (i = 0; i < g; i++)
	{
		UP_SCORE(u)[i] = pq_getmsgfloat8(buf);
		for (k = 1; k <= 4; k++)
			UP_ARR(u, k)[i] = (int64) pq_getmsgint64(buf);
	}
	uplift_view(u, &v);
	problem = up_problem(&v);
	if (problem)
		bad_binary("uplift", problem);
	PG_RETURN_POINTER(u);
}

/* rollup(uplift) transition and combine: merge two (either may be NULL) */
Datum
uplift_merge(PG_FUNCTION_ARGS)
{
	Uplift	   *a,
			   *b,
			   *m,
			   *t;
	up_groups	va,
				vb,
				vm,
				vt;
	Size		i = 0,
				j = 0,
				g = 0;

	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(0))
		PG_RETURN_POINTER(PG_GETARG_UPLIFT(1));
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(PG_GETARG_UPLIFT(0));
	a = PG_GETARG_UPLIFT(0);
	b = PG_GETARG_UPLIFT(1);
	uplift_view(a, &va);
	uplift_view(b, &vb);
	m = uplift_new(va.n + vb.n);
	uplift_view(m, &vm);
	while (i < va.n || j < vb.n)
	{
		double		s;

		if (j >= vb.n || (i < va.n && va.score[i] >= vb.score[j]))
			s = va.score[i];
		else
			s = vb.score[j];
		vm.score[g] = s;
		vm.nt[g] = vm.yt[g] = vm.nc[g] = vm.yc[g] = 0;
		if (i < va.n && va.score[i] == s)
		{
			vm.nt[g] += va.nt[i];
			vm.yt[g] += va.yt[i];
			vm.nc[g] += va.nc[i];
			vm.yc[g] += va.yc[i];
			i++;
		}
		if (j < vb.n && vb.score[j] == s)
		{
			vm.nt[g] += vb.nt[j];
			vm.yt[g] += vb.yt[j];
			vm.nc[g] += vb.nc[j];
			vm.yc[g] += vb.yc[j];
			j++;
		}
		g++;
	}
	vt = vm;
	vt.n = g;
	t = uplift_from_groups(&vt);
	pfree(m);
	uplift_validate(t);
	PG_RETURN_POINTER(t);
}

static Datum
nan_to_null(FunctionCallInfo fcinfo, double v)
{
	if (isnan(v))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(v);
}

Datum
qini_coefficient(PG_FUNCTION_ARGS)
{
	Uplift	   *u = PG_GETARG_UPLIFT(0);
	up_groups	v;

	uplift_view(u, &v);
	return nan_to_null(fcinfo, up_qini_auc(&v));
}

Datum
uplift_auc(PG_FUNCTION_ARGS)
{
	Uplift	   *u = PG_GETARG_UPLIFT(0);
	up_groups	v;

	uplift_view(u, &v);
	return nan_to_null(fcinfo, up_uplift_auc(&v));
}

Datum
uplift_at_k(PG_FUNCTION_ARGS)
{
	Uplift	   *u = PG_GETARG_UPLIFT(0);
	double		k = PG_GETARG_FLOAT8(1);
	char	   *strategy = text_to_cstring(PG_GETARG_TEXT_PP(2));
	up_groups	v;
	int			strat;

	if (!(k > 0 && k <= 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("uplift_at_k k %g is out of range", k),
				 errhint("k is the share of rows to target, in (0, 1] (0.3: the top 30%%).")));
	if (strcmp(strategy, "overall") == 0)
		strat = 0;
	else if (strcmp(strategy, "by_group") == 0)
		strat = 1;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown uplift_at_k strategy \"%s\"", strategy),
				 errhint("Use 'overall' (the top k of all rows) or 'by_group' (the top k of treated and of control separately).")));
	uplift_view(u, &v);
	return nan_to_null(fcinfo, up_at_k(&v, k, strat));
}

Datum
uplift_table(PG_FUNCTION_ARGS)
{
	Uplift	   *u = PG_GETARG_UPLIFT(0);
	int			buckets = PG_GETARG_INT32(1);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	up_groups	v;
	int64	   *bnt,
			   *byt,
			   *bnc,
			   *byc;
	double	   *bq;
	int			b;

	if (buckets < 1 || buckets > MAX_BINS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("uplift_table buckets %d is out of range", buckets),
				 errhint("Give 1 to %d buckets (10: deciles).", MAX_BINS)));
	InitMaterializedSRF(fcinfo, 0);
	uplift_view(u, &v);
	if (v.n == 0)
		return (Datum) 0;
	bnt = palloc(sizeof(int64) * buckets);
	byt = palloc(sizeof(int64) * buckets);
	bnc = palloc(sizeof(int64) * buckets);
	byc = palloc(sizeof(int64) * buckets);
	bq = palloc(sizeof(double) * buckets);
	up_buckets(&v, buckets, (int64_t *) bnt, (int64_t *) byt, (int64_t *) bnc,
			   (int64_t *) byc, bq);
	for (b = 0; b < buckets; b++)
	{
		Datum		values[7];
		bool		nulls[7] = {false};

		values[0] = Int32GetDatum(b + 1);
		values[1] = Int64GetDatum(bnt[b]);
		values[2] = Int64GetDatum(bnc[b]);
		if (bnt[b] > 0)
			values[3] = Float8GetDatum((double) byt[b] / (double) bnt[b]);
		else
			nulls[3] = true;
		if (bnc[b] > 0)
			values[4] = Float8GetDatum((double) byc[b] / (double) bnc[b]);
		else
			nulls[4] = true;
		if (bnt[b] > 0 && bnc[b] > 0)
			values[5] = Float8GetDatum((double) byt[b] / (double) bnt[b] -
									   (double) byc[b] / (double) bnc[b]);
		else
			nulls[5] = true;
		values[6] = Float8GetDatum(bq[b]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
