/*
 * bgnbd.c — SQL glue of the repeat-purchase models: the bgnbd_model and
 * gamma_gamma_model types, the bgnbd_fit and gamma_gamma_fit aggregates,
 * predictions and CLV.  The mathematics is in bgnbd_core.c.
 *
 * Both fits are aggregates whose state is the set of distinct customer
 * histories with their counts: (frequency, recency, T) for BG/NBD,
 * (frequency, monetary) for Gamma-Gamma.  That set is not bounded (its
 * size grows with the distinct histories, not with the rows), so the state
 * is `internal` — an open-addressing hash table in the aggregate context,
 * about 48-96 bytes per distinct history — with serialize/deserialize for
 * parallel query.  The likelihood is maximised in the final function.
 */
#include "b2btarget.h"

#include "miscadmin.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "bgnbd_core.h"
#include "json_core.h"
#include "repeat_model.h"

/* ---------------------------------------------------------------------
 * The model types
 * ------------------------------------------------------------------- */

const char *
repeat_model_typname(int kind)
{
	return kind == REPEAT_BGNBD ? "bgnbd_model" : "gamma_gamma_model";
}

static RepeatModel *
model_new(int kind)
{
	RepeatModel *m = (RepeatModel *) palloc(REPEAT_MODEL_SIZE);

	SET_VARSIZE(m, REPEAT_MODEL_SIZE);
	repeat_model_init(m, kind);
	return m;
}

RepeatModel *
repeat_model_validate(RepeatModel *m, int kind)
{
	const char *fault;

	if (VARSIZE(m) != REPEAT_MODEL_SIZE)
		b2b_corrupt("%s value has size %u, expected %u",
					repeat_model_typname(kind), (unsigned) VARSIZE(m), (unsigned) REPEAT_MODEL_SIZE);
	b2b_check_version(m->version, REPEAT_MODEL_VERSION, repeat_model_typname(kind));
	if (m->kind != kind)
		b2b_corrupt("%s value is corrupt (kind %d)", repeat_model_typname(kind), m->kind);
	fault = repeat_model_fault(m);
	if (fault)
		b2b_corrupt("%s value is corrupt: %s", repeat_model_typname(kind), fault);
	return m;
}

/*
 * A fitted model must be one its own type accepts: a fit whose parameters
 * overflowed or underflowed double precision is an ERROR, never a stored
 * value every later read (and pg_dump) calls corrupt.
 */
static RepeatModel *
fitted_model_checked(RepeatModel *m, const char *fname)
{
	const char *fault = repeat_model_fault(m);

	if (fault)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s: the fitted model is out of range (%s)", fname, fault),
				 errhint("The data are too extreme for double precision: rescale them to ordinary units (recency and T of the order of 1 to 10,000, spend in currency units).")));
	return m;
}

static void
bg_from_model(const RepeatModel *m, bgnbd_params *p)
{
	p->r = m->par[0];
	p->alpha = m->par[1];
	p->a = m->par[2];
	p->b = m->par[3];
}

static void
gg_from_model(const RepeatModel *m, gg_params *p)
{
	p->p = m->par[0];
	p->q = m->par[1];
	p->v = m->par[2];
}

static Datum
model_in(FunctionCallInfo fcinfo, int kind)
{
	char	   *str = PG_GETARG_CSTRING(0);
	RepeatModel *m = model_new(kind);
	char		err[BJ_ERR_SIZE];
	const char *fault;

	fault = repeat_model_parse(str, strlen(str), kind, m, err, sizeof(err));
	if (fault)
	{
		if (kind == REPEAT_BGNBD)
			b2b_input_error(fcinfo,
							(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
							 errmsg("invalid input syntax for type bgnbd_model: \"%s\"", str),
							 errdetail("%s", fault),
							 errhint("A bgnbd_model is a JSON object with positive numbers \"r\", \"alpha\", \"a\", \"b\" and optionally \"log_likelihood\", \"customers\", \"skipped\", \"iterations\", \"converged\", \"l2\", e.g. {\"r\": 0.243, \"alpha\": 4.414, \"a\": 0.793, \"b\": 2.426}.")));
		else
			b2b_input_error(fcinfo,
							(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
							 errmsg("invalid input syntax for type gamma_gamma_model: \"%s\"", str),
							 errdetail("%s", fault),
							 errhint("A gamma_gamma_model is a JSON object with positive numbers \"p\", \"q\", \"v\" and optionally \"log_likelihood\", \"customers\", \"skipped\", \"iterations\", \"converged\", \"l2\", e.g. {\"p\": 6.25, \"q\": 3.74, \"v\": 15.44}.")));
	}
	PG_RETURN_POINTER(m);
}

static Datum
model_out(FunctionCallInfo fcinfo, int kind)
{
	RepeatModel *m = PG_GETARG_REPEAT_MODEL(0, kind);
	StringInfoData buf;
	bj_writer	w;

	initStringInfo(&buf);
	b2b_json_writer(&w, &buf);
	repeat_model_write(&w, m);
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary form: version, kind, converged (bytes), iterations (int32), the
 * parameters (float8 each), log-likelihood, l2 (float8), customers,
 * skipped (int64).
 */
static Datum
model_recv(FunctionCallInfo fcinfo, int kind)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			npar = repeat_model_npar(kind);
	int			want = 3 + 4 + 8 * npar + 16 + 16;
	RepeatModel *m;
	const char *fault;
	int			v,
				i;

	if (buf->len - buf->cursor != want)
		b2b_bad_binary(repeat_model_typname(kind), "expected %d bytes, got %d",
					   want, buf->len - buf->cursor);
	v = pq_getmsgbyte(buf);
	if (v != REPEAT_MODEL_VERSION)
		b2b_bad_binary(repeat_model_typname(kind), "unknown version %d", v);
	v = pq_getmsgbyte(buf);
	if (v != kind)
		b2b_bad_binary(repeat_model_typname(kind), "wrong model kind %d", v);
	m = model_new(kind);
	m->converged = pq_getmsgbyte(buf);
	m->iterations = (int32) pq_getmsgint(buf, 4);
	for (i = 0; i < npar; i++)
		m->par[i] = pq_getmsgfloat8(buf);
	m->loglik = pq_getmsgfloat8(buf);
	m->l2 = pq_getmsgfloat8(buf);
	m->customers = (int64) pq_getmsgint64(buf);
	m->skipped = (int64) pq_getmsgint64(buf);
	fault = repeat_model_fault(m);
	if (fault)
		b2b_bad_binary(repeat_model_typname(kind), "%s", fault);
	PG_RETURN_POINTER(m);
}

static Datum
model_send(FunctionCallInfo fcinfo, int kind)
{
	RepeatModel *m = PG_GETARG_REPEAT_MODEL(0, kind);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, REPEAT_MODEL_VERSION);
	pq_sendbyte(&buf, kind);
	pq_sendbyte(&buf, m->converged);
	pq_sendint32(&buf, m->iterations);
	for (i = 0; i < repeat_model_npar(kind); i++)
		pq_sendfloat8(&buf, m->par[i]);
	pq_sendfloat8(&buf, m->loglik);
	pq_sendfloat8(&buf, m->l2);
	pq_sendint64(&buf, m->customers);
	pq_sendint64(&buf, m->skipped);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(bgnbd_model_in);
PG_FUNCTION_INFO_V1(bgnbd_model_out);
PG_FUNCTION_INFO_V1(bgnbd_model_recv);
PG_FUNCTION_INFO_V1(bgnbd_model_send);
PG_FUNCTION_INFO_V1(gamma_gamma_model_in);
PG_FUNCTION_INFO_V1(gamma_gamma_model_out);
PG_FUNCTION_INFO_V1(gamma_gamma_model_recv);
PG_FUNCTION_INFO_V1(gamma_gamma_model_send);

Datum
bgnbd_model_in(PG_FUNCTION_ARGS)
{
	return model_in(fcinfo, REPEAT_BGNBD);
}
Datum
bgnbd_model_out(PG_FUNCTION_ARGS)
{
	return model_out(fcinfo, REPEAT_BGNBD);
}
Datum
bgnbd_model_recv(PG_FUNCTION_ARGS)
{
	return model_recv(fcinfo, REPEAT_BGNBD);
}
Datum
bgnbd_model_send(PG_FUNCTION_ARGS)
{
	return model_send(fcinfo, REPEAT_BGNBD);
}
Datum
gamma_gamma_model_in(PG_FUNCTION_ARGS)
{
	return model_in(fcinfo, REPEAT_GG);
}
Datum
gamma_gamma_model_out(PG_FUNCTION_ARGS)
{
	return model_out(fcinfo, REPEAT_GG);
}
Datum
gamma_gamma_model_recv(PG_FUNCTION_ARGS)
{
	return model_recv(fcinfo, REPEAT_GG);
}
Datum
gamma_gamma_model_send(PG_FUNCTION_ARGS)
{
	return model_send(fcinfo, REPEAT_GG);
}

/* ---------------------------------------------------------------------
 * The fit aggregates' state: distinct histories with counts
 * ------------------------------------------------------------------- */

typedef struct HistKey
{
	double		v[3];			/* (x, tx, T) or (x, m, 0) */
} HistKey;

typedef struct HistEntry
{
	HistKey		key;
	int64		count;
	uint32		hash;
	char		status;
} HistEntry;

#define SH_PREFIX hist
#define SH_ELEMENT_TYPE HistEntry
#define SH_KEY_TYPE HistKey
#define SH_KEY key
#define SH_HASH_KEY(tb, k) hash_bytes((const unsigned char *) &(k), sizeof(HistKey))
#define SH_EQUAL(tb, a, b) (memcmp(&(a), &(b), sizeof(HistKey)) == 0)
#define SH_SCOPE static inline
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a) a->hash
#define SH_DEFINE
#define SH_DECLARE
#include "lib/simplehash.h"

#define FITSTATE_VERSION 1

typedef struct RepeatFitState
{
	int			kind;			/* REPEAT_BGNBD (3 values) or REPEAT_GG (2) */
	double		l2;
	int64		customers;		/* rows counted in the histories */
	int64		skipped;		/* rows with a NULL, or x = 0 for Gamma-Gamma */
	hist_hash  *h;
} RepeatFitState;

static RepeatFitState *
fitstate_new(MemoryContext cxt, int kind, double l2)
{
	RepeatFitState   *st = MemoryContextAllocZero(cxt, sizeof(RepeatFitState));

	st->kind = kind;
	st->l2 = l2;
	st->h = hist_create(cxt, 256, NULL);
	return st;
}

static void
fitstate_add(RepeatFitState *st, const HistKey *k, int64 n)
{
	bool		found;
	HistEntry  *e = hist_insert(st->h, *k, &found);

	if (!found)
		e->count = 0;
	e->count += n;
	st->customers += n;
}

double
repeat_check_l2(FunctionCallInfo fcinfo, int argno, const char *fname)
{
	double		l2;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: l2 must not be NULL", fname),
				 errhint("Give 0 for an unpenalised fit.")));
	l2 = PG_GETARG_FLOAT8(argno);
	if (!isfinite(l2) || l2 < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: l2 must be a finite number >= 0, got %g", fname, l2),
				 errhint("l2 adds l2 * (sum of squared parameters) to the mean negative log-likelihood, as lifetimes' penalizer_coef; 0 means none.")));
	return l2;
}

static RepeatFitState *
fit_state_arg(FunctionCallInfo fcinfo, int kind, const char *fname, int l2arg)
{
	MemoryContext aggcxt = b2b_agg_context(fcinfo, fname);
	double		l2 = l2arg >= 0 ? repeat_check_l2(fcinfo, l2arg, fname) : 0.0;
	RepeatFitState   *st;

	if (PG_ARGISNULL(0))
		st = fitstate_new(aggcxt, kind, l2);
	else
		st = (RepeatFitState *) PG_GETARG_POINTER(0);
	if (st->l2 != l2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: l2 must be the same on every row (%g and %g)", fname, st->l2, l2)));
	return st;
}

void
repeat_check_bg_history(double x, double tx, double T, const char *fname)
{
	const char *fault = bgnbd_check_obs(x, tx, T);

	if (fault)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: invalid customer history (frequency %g, recency %g, T %g)",
						fname, x, tx, T),
				 errdetail("%s.", fault),
				 errhint("frequency is the number of repeat purchases (a whole number >= 0), recency the time from the first to the last purchase (0 when frequency is 0, > 0 otherwise) and T the time from the first purchase to the end of observation, with recency <= T; customer_summary_agg() computes them from orders.")));
}

static Datum
bgnbd_trans_common(FunctionCallInfo fcinfo, int l2arg)
{
	RepeatFitState   *st = fit_state_arg(fcinfo, REPEAT_BGNBD, "bgnbd_fit", l2arg);
	HistKey		k;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
	{
		st->skipped++;
		PG_RETURN_POINTER(st);
	}
	k.v[0] = PG_GETARG_FLOAT8(1) + 0.0;	/* + 0.0: -0 and 0 are one key */
	k.v[1] = PG_GETARG_FLOAT8(2) + 0.0;
	k.v[2] = PG_GETARG_FLOAT8(3) + 0.0;
	repeat_check_bg_history(k.v[0], k.v[1], k.v[2], "bgnbd_fit");
	fitstate_add(st, &k, 1);
	PG_RETURN_POINTER(st);
}

void
repeat_check_gg_history(double x, double m, const char *fname)
{
	const char *fault = gg_check_obs(x, m);

	if (fault)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: invalid spend history (frequency %g, monetary %g)", fname, x, m),
				 errdetail("%s.", fault),
				 errhint("frequency is the number of repeat purchases (a whole number >= 0) and monetary the mean spend per repeat purchase (> 0 when frequency > 0), as customer_summary_agg() gives them.")));
}

static Datum
gg_trans_common(FunctionCallInfo fcinfo, int l2arg)
{
	RepeatFitState   *st = fit_state_arg(fcinfo, REPEAT_GG, "gamma_gamma_fit", l2arg);
	HistKey		k;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		st->skipped++;
		PG_RETURN_POINTER(st);
	}
	k.v[0] = PG_GETARG_FLOAT8(1) + 0.0;
	k.v[1] = PG_GETARG_FLOAT8(2) + 0.0;
	k.v[2] = 0.0;
	/* customers without a repeat purchase carry no spend information */
	if (k.v[0] == 0 && isfinite(k.v[1]))
	{
		st->skipped++;
		PG_RETURN_POINTER(st);
	}
	repeat_check_gg_history(k.v[0], k.v[1], "gamma_gamma_fit");
	fitstate_add(st, &k, 1);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(bgnbd_fit_trans);
PG_FUNCTION_INFO_V1(bgnbd_fit_trans_l2);
PG_FUNCTION_INFO_V1(gamma_gamma_fit_trans);
PG_FUNCTION_INFO_V1(gamma_gamma_fit_trans_l2);
PG_FUNCTION_INFO_V1(repeat_fit_combine);
PG_FUNCTION_INFO_V1(repeat_fit_serialize);
PG_FUNCTION_INFO_V1(repeat_fit_deserialize);
PG_FUNCTION_INFO_V1(bgnbd_fit_final);
PG_FUNCTION_INFO_V1(gamma_gamma_fit_final);

Datum
bgnbd_fit_trans(PG_FUNCTION_ARGS)
{
	return bgnbd_trans_common(fcinfo, -1);
}
Datum
bgnbd_fit_trans_l2(PG_FUNCTION_ARGS)
{
	return bgnbd_trans_common(fcinfo, 4);
}
Datum
gamma_gamma_fit_trans(PG_FUNCTION_ARGS)
{
	return gg_trans_common(fcinfo, -1);
}
Datum
gamma_gamma_fit_trans_l2(PG_FUNCTION_ARGS)
{
	return gg_trans_common(fcinfo, 3);
}

/* Add every history of src into dst. */
static void
fitstate_merge(RepeatFitState *dst, RepeatFitState *src)
{
	hist_iterator it;
	HistEntry  *e;

	if (dst->kind != src->kind)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("cannot combine fit states of different model kinds")));
	/* the same ERROR as the transition function's, whatever the plan */
	if (dst->l2 != src->l2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: l2 must be the same on every row (%g and %g)",
						dst->kind == REPEAT_BGNBD ? "bgnbd_fit" : "gamma_gamma_fit",
						dst->l2, src->l2)));
	hist_start_iterate(src->h, &it);
	while ((e = hist_iterate(src->h, &it)) != NULL)
	{
		CHECK_FOR_INTERRUPTS();
		fitstate_add(dst, &e->key, e->count);
	}
	dst->skipped += src->skipped;
}

Datum
repeat_fit_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = b2b_agg_context(fcinfo, "repeat_fit_combine");
	RepeatFitState   *a = PG_ARGISNULL(0) ? NULL : (RepeatFitState *) PG_GETARG_POINTER(0);
	RepeatFitState   *b = PG_ARGISNULL(1) ? NULL : (RepeatFitState *) PG_GETARG_POINTER(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = fitstate_new(aggcxt, b->kind, b->l2);
	fitstate_merge(a, b);
	PG_RETURN_POINTER(a);
}

/*
 * Serialized state: version, kind (bytes), l2 (float8), customers, skipped,
 * number of histories (int64), then per history its 3 values (float8) and
 * count (int64).
 */
Datum
repeat_fit_serialize(PG_FUNCTION_ARGS)
{
	RepeatFitState   *st;
	StringInfoData buf;
	hist_iterator it;
	HistEntry  *e;

	b2b_agg_context(fcinfo, "repeat_fit_serialize");
	st = (RepeatFitState *) PG_GETARG_POINTER(0);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, FITSTATE_VERSION);
	pq_sendbyte(&buf, st->kind);
	pq_sendfloat8(&buf, st->l2);
	pq_sendint64(&buf, st->customers);
	pq_sendint64(&buf, st->skipped);
	pq_sendint64(&buf, st->h->members);
	hist_start_iterate(st->h, &it);
	while ((e = hist_iterate(st->h, &it)) != NULL)
	{
		CHECK_FOR_INTERRUPTS();
		pq_sendfloat8(&buf, e->key.v[0]);
		pq_sendfloat8(&buf, e->key.v[1]);
		pq_sendfloat8(&buf, e->key.v[2]);
		pq_sendint64(&buf, e->count);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
repeat_fit_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt = b2b_agg_context(fcinfo, "repeat_fit_deserialize");
	bytea	   *raw = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	RepeatFitState   *st;
	int			version,
				kind;
	double		l2;
	int64		customers,
				skipped,
				n,
				i;

	buf.data = VARDATA_ANY(raw);
	buf.len = VARSIZE_ANY_EXHDR(raw);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	if (buf.len < 2 + 8 * 4)
		b2b_corrupt("invalid serialized fit state: too short");
	version = pq_getmsgbyte(&buf);
	kind = pq_getmsgbyte(&buf);
	if (version != FITSTATE_VERSION || (kind != REPEAT_BGNBD && kind != REPEAT_GG))
		b2b_corrupt("invalid serialized fit state: unknown version or kind");
	l2 = pq_getmsgfloat8(&buf);
	customers = (int64) pq_getmsgint64(&buf);
	skipped = (int64) pq_getmsgint64(&buf);
	n = (int64) pq_getmsgint64(&buf);
	if (!isfinite(l2) || l2 < 0 || customers < 0 || skipped < 0 || n < 0 ||
		n > (buf.len - buf.cursor) / 32 || n * 32 != buf.len - buf.cursor)
		b2b_corrupt("invalid serialized fit state: bad header or length");
	st = fitstate_new(aggcxt, kind, l2);
	for (i = 0; i < n; i++)
	{
		HistKey		k;
		int64		c;

		k.v[0] = pq_getmsgfloat8(&buf);
		k.v[1] = pq_getmsgfloat8(&buf);
		k.v[2] = pq_getmsgfloat8(&buf);
		c = (int64) pq_getmsgint64(&buf);
		if (c <= 0 || c > customers - st->customers)
			b2b_corrupt("invalid serialized fit state: bad count");
		if (kind == REPEAT_BGNBD ? bgnbd_check_obs(k.v[0], k.v[1], k.v[2]) != NULL
			: (gg_check_obs(k.v[0], k.v[1]) != NULL || k.v[0] == 0 || k.v[2] != 0))
			b2b_corrupt("invalid serialized fit state: bad history");
		fitstate_add(st, &k, c);
	}
	if (st->customers != customers)
		b2b_corrupt("invalid serialized fit state: counts do not add up");
	st->skipped = skipped;
	PG_RETURN_POINTER(st);
}

#define MIN_CUSTOMERS 5

static void
warn_unconverged(const char *fname, const b2b_fit_info *info)
{
	if (!info->converged)
		ereport(WARNING,
				(errmsg("%s did not converge", fname),
				 errdetail("The largest gradient component is %.3g after %d iterations.",
						   info->grad_norm, info->iterations),
				 errhint("The data may not identify the model (e.g. almost no repeat purchases or no drop-out); check bgnbd_params()/gamma_gamma_params(), or add a small l2 penalty.")));
}

/* The diagnostics of a fitted model, checked; a warning when unconverged. */
static RepeatModel *
fitted_model_finish(RepeatModel *m, const b2b_fit_info *info, double l2,
					int64 customers, int64 skipped, const char *fname)
{
	m->loglik = isfinite(info->loglik) ? info->loglik : NAN;
	m->l2 = l2;
	m->customers = customers;
	m->skipped = skipped;
	m->iterations = info->iterations;
	m->converged = info->converged ? 1 : 0;
	fitted_model_checked(m, fname);
	warn_unconverged(fname, info);
	return m;
}

/*
 * The BG/NBD fit over distinct histories (customers rows in all, skipped
 * more left out), shared by bgnbd_fit over rows and over repeat_histories:
 * NULL when there are no customers.
 */
RepeatModel *
repeat_fit_bgnbd(const bgnbd_obs *obs, size_t n, double l2, int64 customers, int64 skipped)
{
	bool		any_repeat = false;
	bgnbd_params p;
	b2b_fit_info info;
	RepeatModel *m;
	size_t		i;

	if (customers == 0)
		return NULL;
	if (customers < MIN_CUSTOMERS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bgnbd_fit needs at least %d customers, got " INT64_FORMAT,
						MIN_CUSTOMERS, customers),
				 errhint("Fit the model on the whole customer base (one row per customer), not on a handful of customers.")));
	for (i = 0; i < n && !any_repeat; i++)
		any_repeat = obs[i].x > 0;
	if (!any_repeat)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bgnbd_fit: none of the " INT64_FORMAT " customers made a repeat purchase",
						customers),
				 errhint("BG/NBD needs some customers with frequency > 0 to estimate purchase rates.")));
	if (!bgnbd_fit(obs, n, l2, &p, &info))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("bgnbd_fit: the likelihood is not finite at any start point"),
				 errhint("Check the time unit: recency and T should be of the order of 1 to 10,000.")));
	m = model_new(REPEAT_BGNBD);
	m->par[0] = p.r;
	m->par[1] = p.alpha;
	m->par[2] = p.a;
	m->par[3] = p.b;
	return fitted_model_finish(m, &info, l2, customers, skipped, "bgnbd_fit");
}

/* The same for Gamma-Gamma: NULL when there were no rows at all. */
RepeatModel *
repeat_fit_gg(const gg_obs *obs, size_t n, double l2, int64 customers, int64 skipped)
{
	gg_params	p;
	b2b_fit_info info;
	RepeatModel *m;

	if (customers == 0 && skipped == 0)
		return NULL;
	if (customers < MIN_CUSTOMERS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("gamma_gamma_fit needs at least %d customers with a repeat purchase, got " INT64_FORMAT,
						MIN_CUSTOMERS, customers),
				 errhint("Only customers with frequency > 0 carry spend information; fit on the whole customer base.")));
	if (!gg_fit(obs, n, l2, &p, &info))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("gamma_gamma_fit: the likelihood is not finite at any start point"),
				 errhint("Check the monetary values: they should be positive amounts of ordinary size.")));
	m = model_new(REPEAT_GG);
	m->par[0] = p.p;
	m->par[1] = p.q;
	m->par[2] = p.v;
	return fitted_model_finish(m, &info, l2, customers, skipped, "gamma_gamma_fit");
}

Datum
bgnbd_fit_final(PG_FUNCTION_ARGS)
{
	RepeatFitState *st;
	bgnbd_obs  *obs;
	hist_iterator it;
	HistEntry  *e;
	size_t		n = 0;
	RepeatModel *m;

	b2b_agg_context(fcinfo, "bgnbd_fit_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (RepeatFitState *) PG_GETARG_POINTER(0);
	if (st->customers == 0)
		PG_RETURN_NULL();
	obs = palloc(sizeof(bgnbd_obs) * (st->h->members + 1));
	hist_start_iterate(st->h, &it);
	while ((e = hist_iterate(st->h, &it)) != NULL)
	{
		CHECK_FOR_INTERRUPTS();
		obs[n].x = e->key.v[0];
		obs[n].tx = e->key.v[1];
		obs[n].T = e->key.v[2];
		obs[n].n = (double) e->count;
		n++;
	}
	m = repeat_fit_bgnbd(obs, n, st->l2, st->customers, st->skipped);
	pfree(obs);
	PG_RETURN_POINTER(m);
}

Datum
gamma_gamma_fit_final(PG_FUNCTION_ARGS)
{
	RepeatFitState *st;
	gg_obs	   *obs;
	hist_iterator it;
	HistEntry  *e;
	size_t		n = 0;
	RepeatModel *m;

	b2b_agg_context(fcinfo, "gamma_gamma_fit_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (RepeatFitState *) PG_GETARG_POINTER(0);
	obs = palloc(sizeof(gg_obs) * (st->h->members + 1));
	hist_start_iterate(st->h, &it);
	while ((e = hist_iterate(st->h, &it)) != NULL)
	{
		CHECK_FOR_INTERRUPTS();
		obs[n].x = e->key.v[0];
		obs[n].m = e->key.v[1];
		obs[n].n = (double) e->count;
		n++;
	}
	m = repeat_fit_gg(obs, n, st->l2, st->customers, st->skipped);
	pfree(obs);
	if (m == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(m);
}

/* ---------------------------------------------------------------------
 * Accessors and predictions
 * ------------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(bgnbd_model_params);
PG_FUNCTION_INFO_V1(gamma_gamma_model_params);
PG_FUNCTION_INFO_V1(bgnbd_p_alive_sql);
PG_FUNCTION_INFO_V1(bgnbd_expected_purchases);
PG_FUNCTION_INFO_V1(bgnbd_expected_purchases_new);
PG_FUNCTION_INFO_V1(bgnbd_prob_purchases);
PG_FUNCTION_INFO_V1(gamma_gamma_expected_spend);
PG_FUNCTION_INFO_V1(bgnbd_clv);

static Datum
params_record(FunctionCallInfo fcinfo, const RepeatModel *m)
{
	TupleDesc	td;
	Datum		v[10];
	bool		nulls[10] = {false};
	int			npar = repeat_model_npar(m->kind),
				i,
				k = 0;

	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("function returning record called in context that cannot accept type record")));
	td = BlessTupleDesc(td);
	for (i = 0; i < npar; i++)
		v[k++] = Float8GetDatum(m->par[i]);
	nulls[k] = isnan(m->loglik);
	v[k++] = Float8GetDatum(m->loglik);
	v[k++] = Int64GetDatum(m->customers);
	v[k++] = Int64GetDatum(m->skipped);
	v[k++] = Int32GetDatum(m->iterations);
	v[k++] = BoolGetDatum(m->converged != 0);
	v[k++] = Float8GetDatum(m->l2);
	if (td->natts != k)
		elog(ERROR, "unexpected result shape of the params function");
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(td, v, nulls)));
}

Datum
bgnbd_model_params(PG_FUNCTION_ARGS)
{
	return params_record(fcinfo, PG_GETARG_REPEAT_MODEL(0, REPEAT_BGNBD));
}

Datum
gamma_gamma_model_params(PG_FUNCTION_ARGS)
{
	return params_record(fcinfo, PG_GETARG_REPEAT_MODEL(0, REPEAT_GG));
}

static double
horizon_arg(FunctionCallInfo fcinfo, int argno, const char *fname)
{
	double		t = PG_GETARG_FLOAT8(argno);

	if (!isfinite(t) || t < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: horizon must be a finite number >= 0, got %g", fname, t),
				 errhint("The horizon is a length of time in the unit the model was fitted in (days for customer_summary_agg).")));
	return t;
}

static double
checked_result(double v, const char *fname)
{
	if (!isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s: result cannot be computed for these parameters", fname),
				 errhint("The hypergeometric series needs a + b + frequency > 1 and a horizon that is not extremely long compared with alpha + T.")));
	return v;
}

Datum
bgnbd_p_alive_sql(PG_FUNCTION_ARGS)
{
	RepeatModel *m = PG_GETARG_REPEAT_MODEL(0, REPEAT_BGNBD);
	double		x = PG_GETARG_FLOAT8(1),
				tx = PG_GETARG_FLOAT8(2),
				T = PG_GETARG_FLOAT8(3);
	bgnbd_params p;

	repeat_check_bg_history(x, tx, T, "p_alive");
	bg_from_model(m, &p);
	PG_RETURN_PROPENSITY(checked_result(bgnbd_p_alive(&p, x, tx, T), "p_alive"));
}

Datum
bgnbd_expected_purchases(PG_FUNCTION_ARGS)
{
	RepeatModel *m = PG_GETARG_REPEAT_MODEL(0, REPEAT_BGNBD);
	double		t = horizon_arg(fcinfo, 1, "expected_purchases");
	double		x = PG_GETARG_FLOAT8(2),
				tx = PG_GETARG_FLOAT8(3),
				T = PG_GETARG_FLOAT8(4);
	bgnbd_params p;

	repeat_check_bg_history(x, tx, T, "expected_purchases");
	bg_from_model(m, &p);
	PG_RETURN_FLOAT8(checked_result(bgnbd_expected_cond(&p, t, x, tx, T), "expected_purchases"));
}

Datum
bgnbd_expected_purchases_new(PG_FUNCTION_ARGS)
{
	RepeatModel *m = PG_GETARG_REPEAT_MODEL(0, REPEAT_BGNBD);
	double		t = horizon_arg(fcinfo, 1, "expected_purchases_new");
	bgnbd_params p;

	bg_from_model(m, &p);
	PG_RETURN_FLOAT8(checked_result(bgnbd_expected_new(&p, t), "expected_purchases_new"));
}

Datum
bgnbd_prob_purchases(PG_FUNCTION_ARGS)
{
	RepeatModel *m = PG_GETARG_REPEAT_MODEL(0, REPEAT_BGNBD);
	int32		n = PG_GETARG_INT32(1);
	double		t = horizon_arg(fcinfo, 2, "prob_purchases");
	bgnbd_params p;

	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("prob_purchases: number of purchases must be >= 0, got %d", n),
				 errhint("Give the count of repeat purchases whose probability you want.")));
	if (n > 10000000)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("prob_purchases: number of purchases %d is too large", n),
				 errhint("Counts up to 10,000,000 are supported.")));
	bg_from_model(m, &p);
	PG_RETURN_FLOAT8(checked_result(bgnbd_prob_n(&p, n, t), "prob_purchases"));
}

static double
spend_for(const RepeatModel *gm, double x, double mon, const char *fname)
{
	gg_params	g;

	repeat_check_gg_history(x, mon, fname);
	gg_from_model(gm, &g);
	if (!(g.q > 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the Gamma-Gamma model has q = %g <= 1, so mean spend is infinite", fname, g.q),
				 errhint("Refit the model, possibly with an l2 penalty.")));
	return gg_expected_spend(&g, x, mon);
}

Datum
gamma_gamma_expected_spend(PG_FUNCTION_ARGS)
{
	RepeatModel *gm = PG_GETARG_REPEAT_MODEL(0, REPEAT_GG);

	PG_RETURN_FLOAT8(spend_for(gm, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2), "expected_spend"));
}

/* lifetimes' time units per month (its `freq` argument) */
static double
units_per_month(const char *unit)
{
	if (pg_strcasecmp(unit, "day") == 0 || pg_strcasecmp(unit, "days") == 0)
		return 30.0;
	if (pg_strcasecmp(unit, "week") == 0 || pg_strcasecmp(unit, "weeks") == 0)
		return 4.345;
	if (pg_strcasecmp(unit, "month") == 0 || pg_strcasecmp(unit, "months") == 0)
		return 1.0;
	if (pg_strcasecmp(unit, "hour") == 0 || pg_strcasecmp(unit, "hours") == 0)
		return 720.0;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("clv: unknown time unit \"%s\"", unit),
			 errhint("The unit the models were fitted in: 'days' (30 per month, the default), 'weeks' (4.345 per month), 'months' or 'hours' (720 per month), as lifetimes' freq.")));
	return 0;
}

Datum
bgnbd_clv(PG_FUNCTION_ARGS)
{
	RepeatModel *bm = PG_GETARG_REPEAT_MODEL(0, REPEAT_BGNBD);
	RepeatModel *gm = PG_GETARG_REPEAT_MODEL(1, REPEAT_GG);
	double		x = PG_GETARG_FLOAT8(2),
				tx = PG_GETARG_FLOAT8(3),
				T = PG_GETARG_FLOAT8(4),
				mon = PG_GETARG_FLOAT8(5);
	int32		months = PG_GETARG_INT32(6);
	double		disc = PG_GETARG_FLOAT8(7);
	char	   *unit = text_to_cstring(PG_GETARG_TEXT_PP(8));
	double		upm = units_per_month(unit);
	bgnbd_params p;
	double		spend;

	if (months < 0 || months > 1200)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("clv: months must be between 0 and 1200, got %d", months),
				 errhint("months is the number of future months summed (lifetimes' time).")));
	if (!isfinite(disc) || disc <= -1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("clv: monthly discount rate must be finite and > -1, got %g", disc),
				 errhint("A monthly rate such as 0.01 (lifetimes' discount_rate).")));
	repeat_check_bg_history(x, tx, T, "clv");
	spend = spend_for(gm, x, mon, "clv");
	bg_from_model(bm, &p);
	PG_RETURN_FLOAT8(checked_result(b2b_clv(&p, x, tx, T, spend, months, disc, upm), "clv"));
}
