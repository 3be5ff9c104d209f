/*
 * histories.c — SQL glue of the repeat_histories type: the distinct
 * customer histories with their counts that bgnbd_fit and gamma_gamma_fit
 * fit, as a stored value, so that it is the aggregate state itself
 * (repeat_histories_agg, spend_histories_agg, rollup): Citus workers and
 * parallel workers compress their rows, the coordinator merges and
 * bgnbd_fit(repeat_histories) / gamma_gamma_fit(repeat_histories) fit,
 * with the same parameters as the aggregates over the rows.  The core
 * (order, merge, text form) is histories_core.c.
 *
 * Layout: the header below, then 32-byte entries (rh_entry): nsorted in
 * canonical order, npending still to merge (an aggregate state only), and
 * in a state spare room (VARSIZE covers the capacity).  A stored value
 * (what in, recv and the aggregates' final function give) has flags 0, no
 * tail and no spare room, so it is canonical byte for byte.
 *
 * Memory: 32 bytes per distinct history, plus up to as many again of
 * entries waiting to be merged (at least RH_MIN_PENDING) while
 * aggregating; merging sorts the tail and merges it in one pass, so adding
 * a row costs O(log n) amortised.  The number of distinct histories is
 * bounded by the resolution of the inputs (with recency and T in whole
 * days over a few years, a few hundred thousand at most for BG/NBD, however
 * many customers); when every history is distinct (continuous monetary
 * values for Gamma-Gamma) the state is 32 bytes per customer, and more
 * than RH_MAX_ENTRIES distinct histories (1 GB) is an ERROR.
 */
#include "b2btarget.h"

#include <math.h>

#include "miscadmin.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "bgnbd_core.h"
#include "histories_core.h"
#include "json_core.h"
#include "repeat_model.h"

typedef struct RepeatHistories
{
	int32		vl_len_;
	uint8		version;
	uint8		kind;			/* REPEAT_BGNBD or REPEAT_GG */
	uint8		flags;			/* RH_FLAG_STATE, or 0 when stored */
	uint8		reserved;		/* 0 */
	uint32		nsorted;
	uint32		npending;
	int64		skipped;
	rh_entry	e[FLEXIBLE_ARRAY_MEMBER];
} RepeatHistories;

#define RH_FLAG_STATE 1			/* an aggregate state: may have a tail and spare room */
#define RH_HDRSZ offsetof(RepeatHistories, e)
#define RH_SIZE(n) (RH_HDRSZ + sizeof(rh_entry) * (Size) (n))
#define RH_CAP(h) ((VARSIZE(h) - RH_HDRSZ) / sizeof(rh_entry))
#define RH_MIN_PENDING 1024

StaticAssertDecl(offsetof(RepeatHistories, e) == 24, "repeat_histories header has 24 bytes");
StaticAssertDecl(sizeof(rh_entry) == 32, "a history has 32 bytes");

#define RH_HINT "A repeat_histories is the JSON object repeat_histories_agg or spend_histories_agg writes: {\"version\": 1, \"kind\": \"bgnbd\", \"skipped\": 0, \"histories\": [[frequency,recency,T,count],...]} (or \"kind\": \"gamma_gamma\" with [frequency,monetary,count]), the histories in ascending order, each once."

static RepeatHistories *
rh_alloc(int kind, Size cap, int flags)
{
	RepeatHistories *h = palloc0(RH_SIZE(cap));

	SET_VARSIZE(h, RH_SIZE(cap));
	h->version = RH_VERSION;
	h->kind = kind;
	h->flags = flags;
	return h;
}

static void
rh_view(const RepeatHistories *h, rh_set *s)
{
	s->kind = h->kind;
	s->skipped = h->skipped;
	s->nsorted = h->nsorted;
	s->npending = h->npending;
	s->e = (rh_entry *) h->e;
}

/* The header of a detoasted value (O(1)). */
static void
rh_check_header(const RepeatHistories *h)
{
	if (VARSIZE(h) < RH_HDRSZ || (VARSIZE(h) - RH_HDRSZ) % sizeof(rh_entry) != 0)
		b2b_corrupt("repeat_histories value is corrupt: bad size");
	b2b_check_version(h->version, RH_VERSION, "repeat_histories");
	if ((h->flags & ~RH_FLAG_STATE) != 0 || h->reserved != 0 ||
		(h->kind != REPEAT_BGNBD && h->kind != REPEAT_GG) ||
		(Size) h->nsorted + h->npending > RH_CAP(h) ||
		(!(h->flags & RH_FLAG_STATE) && (h->npending != 0 || h->nsorted != RH_CAP(h))))
		b2b_corrupt("repeat_histories value is corrupt: bad header");
}

/* Every byte of a detoasted value from disk, another process or node. */
static RepeatHistories *
rh_checked(RepeatHistories *h)
{
	rh_set		s;
	const char *fault;

	rh_check_header(h);
	rh_view(h, &s);
	if ((fault = rh_problem(&s)) != NULL)
		b2b_corrupt("repeat_histories value is corrupt: %s", fault);
	return h;
}

#define PG_GETARG_RH(n) rh_checked((RepeatHistories *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

static void
rh_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("repeat_histories: more than 9223372036854775807 customers")));
}

/* Merge the tail of h in place. */
static void
rh_flush(RepeatHistories *h)
{
	bool		overflow;
	size_t		n = rh_normalize(h->e, h->nsorted, h->npending, &overflow);

	if (n == (size_t) -1)
	{
		if (overflow)
			rh_overflow();
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory merging repeat_histories")));
	}
	h->nsorted = (uint32) n;
	h->npending = 0;
}

/*
 * The canonical value of h: h itself when it is stored (no tail, no spare
 * room), else a merged copy of exactly its size.
 */
static RepeatHistories *
rh_canonical(RepeatHistories *h)
{
	RepeatHistories *c;

	if (h->flags == 0)
		return h;
	c = rh_alloc(h->kind, (Size) h->nsorted + h->npending, 0);
	memcpy(c->e, h->e, sizeof(rh_entry) * ((Size) h->nsorted + h->npending));
	c->nsorted = h->nsorted;
	c->npending = h->npending;
	c->skipped = h->skipped;
	rh_flush(c);
	SET_VARSIZE(c, RH_SIZE(c->nsorted));
	return c;
}

static void
rh_too_many(int kind)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("repeat_histories: more than %zu distinct %s histories", (size_t) RH_MAX_ENTRIES,
					kind == REPEAT_BGNBD ? "BG/NBD" : "Gamma-Gamma"),
			 errhint("A repeat_histories value holds at most 1 GB. Round the inputs (recency and T in whole days, spend in whole currency units) so that customers share histories, or use %s over the rows.",
					 kind == REPEAT_BGNBD ? "bgnbd_fit" : "gamma_gamma_fit")));
}

/*
 * Room for extra more entries in the state h: h itself when they fit, else
 * a bigger copy in CurrentMemoryContext (nodeAgg copies a new state into
 * the aggregate context and frees the old one, so never repalloc).
 */
static RepeatHistories *
rh_reserve(RepeatHistories *h, Size extra)
{
	Size		used = (Size) h->nsorted + h->npending,
				need,
				cap,
				sz;
	RepeatHistories *nh;

	if (used + extra <= RH_CAP(h))
		return h;
	if (h->npending > 0 && used + extra > RH_MAX_ENTRIES)
	{
		rh_flush(h);
		used = h->nsorted;
	}
	need = used + extra;
	if (need > RH_MAX_ENTRIES)
		rh_too_many(h->kind);
	/* the largest capacity in a power-of-two allocation */
	sz = 1024;
	while ((sz - RH_HDRSZ) / sizeof(rh_entry) < need && sz < MaxAllocSize / 2)
		sz *= 2;
	cap = Min((sz - RH_HDRSZ) / sizeof(rh_entry), (Size) RH_MAX_ENTRIES);
	if (cap < need)
		cap = need;
	nh = rh_alloc(h->kind, cap, RH_FLAG_STATE);
	memcpy(nh->e, h->e, sizeof(rh_entry) * used);
	nh->nsorted = h->nsorted;
	nh->npending = h->npending;
	nh->skipped = h->skipped;
	return nh;
}

/* Merge the tail once it is as long as the sorted part. */
static void
rh_maybe_flush(RepeatHistories *h)
{
	if (h->npending >= Max(RH_MIN_PENDING, h->nsorted))
		rh_flush(h);
}

/*
 * The state argument of a transition or combine function, ours to modify:
 * a state made here is used as it is; anything else (rollup's first
 * input as stored, or a small state packed by a tuple queue) is detoasted,
 * checked and copied.
 */
static RepeatHistories *
rh_state_arg(FunctionCallInfo fcinfo)
{
	struct varlena *raw = (struct varlena *) PG_GETARG_POINTER(0);
	RepeatHistories *h,
			   *c;

	if (!VARATT_IS_EXTENDED(raw) && (((RepeatHistories *) raw)->flags & RH_FLAG_STATE))
	{
		h = (RepeatHistories *) raw;
		rh_check_header(h);
		return h;
	}
	h = rh_checked((RepeatHistories *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0)));
	c = rh_alloc(h->kind, h->nsorted, RH_FLAG_STATE);
	memcpy(c->e, h->e, sizeof(rh_entry) * h->nsorted);
	c->nsorted = h->nsorted;
	c->skipped = h->skipped;
	return c;
}

/* ---------------------------------------------------------------------
 * I/O
 * ------------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(repeat_histories_in);
PG_FUNCTION_INFO_V1(repeat_histories_out);
PG_FUNCTION_INFO_V1(repeat_histories_recv);
PG_FUNCTION_INFO_V1(repeat_histories_send);

Datum
repeat_histories_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char		err[BJ_ERR_SIZE];
	rh_set		s;
	const char *fault;
	RepeatHistories *h;

	fault = rh_parse(str, strlen(str), &s, err, sizeof(err));
	if (fault)
		b2b_input_error(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type repeat_histories: \"%.200s%s\"",
								str, strlen(str) > 200 ? "..." : ""),
						 errdetail("%s", fault),
						 errhint(RH_HINT)));
	h = rh_alloc(s.kind, s.nsorted, 0);
	if (s.nsorted)
		memcpy(h->e, s.e, sizeof(rh_entry) * s.nsorted);
	h->nsorted = s.nsorted;
	h->skipped = s.skipped;
	if (s.e)
		pfree(s.e);
	PG_RETURN_POINTER(h);
}

Datum
repeat_histories_out(PG_FUNCTION_ARGS)
{
	RepeatHistories *h = rh_canonical(PG_GETARG_RH(0));
	StringInfoData buf;
	bj_writer	w;
	rh_set		s;

	rh_view(h, &s);
	initStringInfo(&buf);
	b2b_json_writer(&w, &buf);
	rh_write(&w, &s);
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary: version and kind (bytes), skipped (int64), the number of
 * histories (int32), then per history in canonical order its 3 (BG/NBD)
 * or 2 (Gamma-Gamma) values (float8) and its count (int64).
 */
Datum
repeat_histories_send(PG_FUNCTION_ARGS)
{
	RepeatHistories *h = rh_canonical(PG_GETARG_RH(0));
	StringInfoData buf;
	int			nv = rh_nvalues(h->kind),
				k;
	uint32		i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, RH_VERSION);
	pq_sendbyte(&buf, h->kind);
	pq_sendint64(&buf, h->skipped);
	pq_sendint32(&buf, (int32) h->nsorted);
	for (i = 0; i < h->nsorted; i++)
	{
		CHECK_FOR_INTERRUPTS();
		for (k = 0; k < nv; k++)
			pq_sendfloat8(&buf, h->e[i].v[k]);
		pq_sendint64(&buf, h->e[i].n);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
repeat_histories_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	RepeatHistories *h;
	int			version,
				kind,
				nv,
				k;
	int64		skipped,
				total;
	int32		n,
				i;
	const char *fault;

	if (buf->len - buf->cursor < 14)
		b2b_bad_binary("repeat_histories", "truncated header");
	version = pq_getmsgbyte(buf);
	if (version != RH_VERSION)
		b2b_bad_binary("repeat_histories", "unknown version %d", version);
	kind = pq_getmsgbyte(buf);
	nv = rh_nvalues(kind);
	if (nv == 0)
		b2b_bad_binary("repeat_histories", "unknown kind %d", kind);
	skipped = (int64) pq_getmsgint64(buf);
	if (skipped < 0)
		b2b_bad_binary("repeat_histories", "skipped is negative");
	n = (int32) pq_getmsgint(buf, 4);
	if (n < 0 || (Size) n > RH_MAX_ENTRIES ||
		(Size) (buf->len - buf->cursor) != (Size) n * 8 * (nv + 1))
		b2b_bad_binary("repeat_histories", "wrong length for %d histories", n);
	h = rh_alloc(kind, n, 0);
	h->skipped = skipped;
	for (i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		for (k = 0; k < nv; k++)
			h->e[i].v[k] = pq_getmsgfloat8(buf);
		h->e[i].n = (int64) pq_getmsgint64(buf);
		if ((fault = rh_entry_problem(kind, &h->e[i])) != NULL)
			b2b_bad_binary("repeat_histories", "history %d: %s", i + 1, fault);
		if (i > 0 && rh_cmp(&h->e[i - 1], &h->e[i]) >= 0)
			b2b_bad_binary("repeat_histories", "the histories are not in ascending order, each once");
	}
	h->nsorted = n;
	if (!rh_total(h->e, n, &total))
		b2b_bad_binary("repeat_histories", "the counts add up to more than int64");
	PG_RETURN_POINTER(h);
}

/* ---------------------------------------------------------------------
 * The aggregates
 * ------------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(repeat_histories_trans);
PG_FUNCTION_INFO_V1(spend_histories_trans);
PG_FUNCTION_INFO_V1(repeat_histories_combine);
PG_FUNCTION_INFO_V1(repeat_histories_final);

static RepeatHistories *
trans_state(FunctionCallInfo fcinfo, int kind, const char *fname)
{
	RepeatHistories *h;

	b2b_agg_context(fcinfo, fname);
	if (PG_ARGISNULL(0))
		return rh_alloc(kind, 0, RH_FLAG_STATE);
	h = rh_state_arg(fcinfo);
	if (h->kind != kind)
		b2b_corrupt("%s: state of another kind", fname);
	return h;
}

static RepeatHistories *
add_history(RepeatHistories *h, const rh_entry *e)
{
	h = rh_reserve(h, 1);
	h->e[h->nsorted + h->npending] = *e;
	h->npending++;
	rh_maybe_flush(h);
	return h;
}

/* repeat_histories_agg(frequency, recency, t): bgnbd_fit's rules */
Datum
repeat_histories_trans(PG_FUNCTION_ARGS)
{
	RepeatHistories *h = trans_state(fcinfo, REPEAT_BGNBD, "repeat_histories_agg");
	rh_entry	e;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
	{
		h->skipped++;
		PG_RETURN_POINTER(h);
	}
	e.v[0] = PG_GETARG_FLOAT8(1) + 0.0;	/* + 0.0: -0 and 0 are one key */
	e.v[1] = PG_GETARG_FLOAT8(2) + 0.0;
	e.v[2] = PG_GETARG_FLOAT8(3) + 0.0;
	e.n = 1;
	repeat_check_bg_history(e.v[0], e.v[1], e.v[2], "repeat_histories_agg");
	PG_RETURN_POINTER(add_history(h, &e));
}

/* spend_histories_agg(frequency, monetary): gamma_gamma_fit's rules */
Datum
spend_histories_trans(PG_FUNCTION_ARGS)
{
	RepeatHistories *h = trans_state(fcinfo, REPEAT_GG, "spend_histories_agg");
	rh_entry	e;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		h->skipped++;
		PG_RETURN_POINTER(h);
	}
	e.v[0] = PG_GETARG_FLOAT8(1) + 0.0;
	e.v[1] = PG_GETARG_FLOAT8(2) + 0.0;
	e.v[2] = 0.0;
	e.n = 1;
	/* customers without a repeat purchase carry no spend information */
	if (e.v[0] == 0 && isfinite(e.v[1]))
	{
		h->skipped++;
		PG_RETURN_POINTER(h);
	}
	repeat_check_gg_history(e.v[0], e.v[1], "spend_histories_agg");
	PG_RETURN_POINTER(add_history(h, &e));
}

/* Combine, and rollup's transition (strict): add b's histories to a. */
Datum
repeat_histories_combine(PG_FUNCTION_ARGS)
{
	RepeatHistories *a,
			   *b;
	Size		nb;

	b2b_agg_context(fcinfo, "repeat_histories_combine");
	a = rh_state_arg(fcinfo);
	b = PG_GETARG_RH(1);
	if (a->kind != b->kind)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge BG/NBD histories with Gamma-Gamma histories"),
				 errhint("rollup(repeat_histories) merges values of one kind: repeat_histories_agg(frequency, recency, t) or spend_histories_agg(frequency, monetary).")));
	nb = (Size) b->nsorted + b->npending;
	a = rh_reserve(a, nb);
	memcpy(a->e + a->nsorted + a->npending, b->e, sizeof(rh_entry) * nb);
	a->npending += nb;
	if (a->skipped > PG_INT64_MAX - b->skipped)
		rh_overflow();
	a->skipped += b->skipped;
	rh_maybe_flush(a);
	PG_RETURN_POINTER(a);
}

/* The aggregates' final function: the stored (canonical) value. */
Datum
repeat_histories_final(PG_FUNCTION_ARGS)
{
	RepeatHistories *h;
	int64		total;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	h = rh_canonical(PG_GETARG_RH(0));
	if (!rh_total(h->e, h->nsorted, &total))
		rh_overflow();
	PG_RETURN_POINTER(h);
}

/* ---------------------------------------------------------------------
 * Fits and the summary
 * ------------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(repeat_histories_bgnbd_fit);
PG_FUNCTION_INFO_V1(repeat_histories_gamma_gamma_fit);
PG_FUNCTION_INFO_V1(repeat_histories_info);

static RepeatHistories *
fit_arg(FunctionCallInfo fcinfo, int kind, const char *fname, double *l2, int64 *customers)
{
	RepeatHistories *h = rh_canonical(PG_GETARG_RH(0));

	*l2 = PG_NARGS() > 1 ? repeat_check_l2(fcinfo, 1, fname) : 0.0;
	if (h->kind != kind)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: these repeat_histories hold %s histories", fname,
						h->kind == REPEAT_BGNBD ? "BG/NBD (frequency, recency, T)" : "Gamma-Gamma (frequency, monetary)"),
				 errhint("bgnbd_fit takes repeat_histories_agg(frequency, recency, t); gamma_gamma_fit takes spend_histories_agg(frequency, monetary).")));
	if (!rh_total(h->e, h->nsorted, customers))
		rh_overflow();
	return h;
}

/*
 * bgnbd_fit(repeat_histories [, l2]) and gamma_gamma_fit(...): the fit of
 * the aggregate over the rows, from the same distinct histories.  The
 * 2-argument forms are not strict, so that a NULL l2 is the aggregate's
 * ERROR.
 */
static Datum
histories_fit(FunctionCallInfo fcinfo, int kind)
{
	RepeatHistories *h;
	double		l2;
	int64		customers;
	uint32		i;
	RepeatModel *m;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	h = fit_arg(fcinfo, kind, kind == REPEAT_BGNBD ? "bgnbd_fit" : "gamma_gamma_fit", &l2, &customers);
	if (kind == REPEAT_BGNBD)
	{
		bgnbd_obs  *obs = palloc(sizeof(bgnbd_obs) * ((Size) h->nsorted + 1));

		for (i = 0; i < h->nsorted; i++)
		{
			obs[i].x = h->e[i].v[0];
			obs[i].tx = h->e[i].v[1];
			obs[i].T = h->e[i].v[2];
			obs[i].n = (double) h->e[i].n;
		}
		m = repeat_fit_bgnbd(obs, h->nsorted, l2, customers, h->skipped);
	}
	else
	{
		gg_obs	   *obs = palloc(sizeof(gg_obs) * ((Size) h->nsorted + 1));

		for (i = 0; i < h->nsorted; i++)
		{
			obs[i].x = h->e[i].v[0];
			obs[i].m = h->e[i].v[1];
			obs[i].n = (double) h->e[i].n;
		}
		m = repeat_fit_gg(obs, h->nsorted, l2, customers, h->skipped);
	}
	if (m == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(m);
}

Datum
repeat_histories_bgnbd_fit(PG_FUNCTION_ARGS)
{
	return histories_fit(fcinfo, REPEAT_BGNBD);
}

Datum
repeat_histories_gamma_gamma_fit(PG_FUNCTION_ARGS)
{
	return histories_fit(fcinfo, REPEAT_GG);
}

/* histories_info(repeat_histories): kind, histories, customers, skipped */
Datum
repeat_histories_info(PG_FUNCTION_ARGS)
{
	RepeatHistories *h = rh_canonical(PG_GETARG_RH(0));
	TupleDesc	td;
	Datum		v[4];
	bool		nulls[4] = {false, false, false, false};
	int64		customers;

	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("function returning record called in context that cannot accept type record")));
	td = BlessTupleDesc(td);
	if (!rh_total(h->e, h->nsorted, &customers))
		rh_overflow();
	v[0] = CStringGetTextDatum(rh_kind_name(h->kind));
	v[1] = Int64GetDatum((int64) h->nsorted);
	v[2] = Int64GetDatum(customers);
	v[3] = Int64GetDatum(h->skipped);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(td, v, nulls)));
}
