/*
 * value_tier.c — value_tiers, value_tier_agg and value_tier (A/B/C by
 * cumulative share of value).
 *
 * Rank customers by value, largest first.  A customer of value v is in
 * tier A when the customers strictly more valuable than v bring less than
 * 80% of the total (so v still brings part of the first 80%), in B when
 * they bring less than 95%, else C.  Customers of equal value always share
 * a tier.  That makes a tier a value range: A is v >= a_cut, B is
 * b_cut <= v < a_cut, so value_tiers stores the two cut points (and the
 * size and value of each tier, for reports), and new customers are tiered
 * with the same cut points.
 */
#include "b2btarget.h"

#include <math.h>

#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "json_core.h"
#include "segments.h"
#include "segments_core.h"

#define VALUE_TIERS_VERSION 1
#define NTIERS 3
#define SHARE_A 0.80
#define SHARE_B 0.95

PG_FUNCTION_INFO_V1(value_tiers_in);
PG_FUNCTION_INFO_V1(value_tiers_out);
PG_FUNCTION_INFO_V1(value_tiers_recv);
PG_FUNCTION_INFO_V1(value_tiers_send);
PG_FUNCTION_INFO_V1(value_tier_trans);
PG_FUNCTION_INFO_V1(value_tier_combine);
PG_FUNCTION_INFO_V1(value_tier_serialize);
PG_FUNCTION_INFO_V1(value_tier_deserialize);
PG_FUNCTION_INFO_V1(value_tier_final);
PG_FUNCTION_INFO_V1(value_tier_of);
PG_FUNCTION_INFO_V1(value_tiers_cut);
PG_FUNCTION_INFO_V1(value_tiers_customers);
PG_FUNCTION_INFO_V1(value_tiers_value);

typedef struct ValueTiers
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		ntiers;
	uint16		flags;			/* reserved, 0 */
	int32		pad;			/* 0 */
	double		a_cut;			/* smallest value in tier A */
	double		b_cut;			/* smallest value in tier B (<= a_cut) */
	int64		customers[NTIERS];	/* customers in A, B, C */
	double		value[NTIERS];	/* their total value */
} ValueTiers;

#define VALUE_TIERS_SIZE sizeof(ValueTiers)

static const char *const tier_names[NTIERS] = {"A", "B", "C"};

static const char value_tiers_hint[] =
"value_tiers is a JSON object {\"a_cut\": x, \"b_cut\": y, \"tiers\": {\"A\": {\"customers\": n, \"value\": v}, \"B\": {...}, \"C\": {...}}} with a_cut >= b_cut > 0, finite, counts and values >= 0, a positive total value and at least one customer in A.";

static ValueTiers *
value_tiers_new(void)
{
	ValueTiers *t = (ValueTiers *) palloc0(VALUE_TIERS_SIZE);

	SET_VARSIZE(t, VALUE_TIERS_SIZE);
	t->version = VALUE_TIERS_VERSION;
	t->ntiers = NTIERS;
	return t;
}

/* NULL when t is consistent, else what is wrong. */
static const char *
value_tiers_problem(const ValueTiers *t)
{
	int			i;
	double		total = 0;

	if (isnan(t->a_cut) || isinf(t->a_cut) || isnan(t->b_cut) || isinf(t->b_cut))
		return "cut point not finite";
	if (!(t->b_cut > 0) || t->a_cut < t->b_cut)
		return "cut points must satisfy a_cut >= b_cut > 0";
	for (i = 0; i < NTIERS; i++)
	{
		if (t->customers[i] < 0)
			return "negative customer count";
		if (isnan(t->value[i]) || isinf(t->value[i]) || t->value[i] < 0)
			return "tier value not finite and >= 0";
		total += t->value[i];
	}
	if (t->customers[0] < 1 || !(total > 0))
		return "no customer in tier A or no value";
	return NULL;
}

static ValueTiers *
value_tiers_validate(ValueTiers *t)
{
	const char *problem;

	if (VARSIZE(t) != VALUE_TIERS_SIZE)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("value_tiers value has size %u, expected %u",
						(unsigned) VARSIZE(t), (unsigned) VALUE_TIERS_SIZE)));
	b2b_check_version(t->version, VALUE_TIERS_VERSION, "value_tiers");
	if (t->ntiers != NTIERS || t->flags != 0 || t->pad != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("value_tiers value is corrupt (tiers %d, flags %d)",
						t->ntiers, t->flags)));
	if ((problem = value_tiers_problem(t)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("value_tiers value is corrupt (%s)", problem)));
	return t;
}

#define PG_GETARG_VALUE_TIERS(n) \
	value_tiers_validate((ValueTiers *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

/* {"customers": n, "value": v} of one tier. */
static void
read_tier(bj_reader *r, const char *tier, int64 *customers, double *value)
{
	char		key[16];
	bool		more;
	bool		seen_n = false,
				seen_v = false;

	if (!bj_begin_object(r))
		return;
	while (bj_next_key(r, key, sizeof(key), &more) && more)
	{
		if (strcmp(key, "customers") == 0 && !seen_n)
		{
			int64_t		n;

			seen_n = true;
			if (bj_int64(r, &n))
				*customers = n;
		}
		else if (strcmp(key, "value") == 0 && !seen_v)
		{
			seen_v = true;
			bj_number(r, value);
		}
		else
		{
			bj_fail(r, "unexpected or duplicate key \"%s\" in tier %s", key, tier);
			return;
		}
	}
	if (!r->failed && (!seen_n || !seen_v))
		bj_fail(r, "tier %s needs \"customers\" and \"value\"", tier);
}

static void
read_tiers(bj_reader *r, ValueTiers *t)
{
	char		key[16];
	bool		more;
	bool		seen[NTIERS] = {false};
	int			i;

	if (!bj_begin_object(r))
		return;
	while (bj_next_key(r, key, sizeof(key), &more) && more)
	{
		for (i = 0; i < NTIERS; i++)
			if (strcmp(key, tier_names[i]) == 0)
				break;
		if (i == NTIERS || seen[i])
		{
			bj_fail(r, "%s tier \"%s\"", i == NTIERS ? "unknown" : "duplicate", key);
			return;
		}
		seen[i] = true;
		read_tier(r, tier_names[i], &t->customers[i], &t->value[i]);
	}
	for (i = 0; !r->failed && i < NTIERS; i++)
		if (!seen[i])
			bj_fail(r, "missing tier \"%s\"", tier_names[i]);
}

Datum
value_tiers_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	bj_reader	r;
	char		key[16];
	bool		more;
	bool		seen_a = false,
				seen_b = false,
				seen_t = false;
	ValueTiers *t = value_tiers_new();
	const char *problem;

	bj_init(&r, str, strlen(str));
	bj_begin_object(&r);
	while (bj_next_key(&r, key, sizeof(key), &more) && more)
	{
		if (strcmp(key, "a_cut") == 0 && !seen_a)
		{
			seen_a = true;
			bj_number(&r, &t->a_cut);
		}
		else if (strcmp(key, "b_cut") == 0 && !seen_b)
		{
			seen_b = true;
			bj_number(&r, &t->b_cut);
		}
		else if (strcmp(key, "tiers") == 0 && !seen_t)
		{
			seen_t = true;
			read_tiers(&r, t);
		}
		else
		{
			bj_fail(&r, "unexpected or duplicate key \"%s\"", key);
			break;
		}
	}
	bj_finish(&r);
	if (!r.failed && (!seen_a || !seen_b || !seen_t))
		bj_fail(&r, "needs the keys \"a_cut\", \"b_cut\" and \"tiers\"");
	if (!r.failed && (problem = value_tiers_problem(t)) != NULL)
		bj_fail(&r, "%s", problem);
	if (r.failed)
		b2b_input_error(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type value_tiers: \"%s\"", str),
						 errdetail("%s", r.err),
						 errhint("%s", value_tiers_hint)));
	PG_RETURN_POINTER(t);
}

Datum
value_tiers_out(PG_FUNCTION_ARGS)
{
	ValueTiers *t = PG_GETARG_VALUE_TIERS(0);
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfoString(&buf, "{\"a_cut\": ");
	b2b_append_float8(&buf, t->a_cut);
	appendStringInfoString(&buf, ", \"b_cut\": ");
	b2b_append_float8(&buf, t->b_cut);
	appendStringInfoString(&buf, ", \"tiers\": {");
	for (i = 0; i < NTIERS; i++)
	{
		appendStringInfo(&buf, "%s\"%s\": {\"customers\": " INT64_FORMAT ", \"value\": ",
						 i > 0 ? ", " : "", tier_names[i], t->customers[i]);
		b2b_append_float8(&buf, t->value[i]);
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoString(&buf, "}}");
	PG_RETURN_CSTRING(buf.data);
}

/* Binary: version byte, a_cut, b_cut, then per tier int64 customers, float8 value. */
Datum
value_tiers_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			expected = 1 + 16 + NTIERS * 16;
	ValueTiers *t;
	const char *problem;
	int			version,
				i;

	if (buf->len - buf->cursor != expected)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary value_tiers: expected %d bytes, got %d",
						expected, buf->len - buf->cursor)));
	version = pq_getmsgbyte(buf);
	if (version != VALUE_TIERS_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary value_tiers: unknown version %d", version)));
	t = value_tiers_new();
	t->a_cut = pq_getmsgfloat8(buf);
	t->b_cut = pq_getmsgfloat8(buf);
	for (i = 0; i < NTIERS; i++)
	{
		t->customers[i] = (int64) pq_getmsgint64(buf);
		t->value[i] = pq_getmsgfloat8(buf);
	}
	if ((problem = value_tiers_problem(t)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary value_tiers: %s", problem)));
	PG_RETURN_POINTER(t);
}

Datum
value_tiers_send(PG_FUNCTION_ARGS)
{
	ValueTiers *t = PG_GETARG_VALUE_TIERS(0);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, VALUE_TIERS_VERSION);
	pq_sendfloat8(&buf, t->a_cut);
	pq_sendfloat8(&buf, t->b_cut);
	for (i = 0; i < NTIERS; i++)
	{
		pq_sendint64(&buf, t->customers[i]);
		pq_sendfloat8(&buf, t->value[i]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------------------------------------------------------- value_tier_agg -- */

Datum
value_tier_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = b2b_agg_context(fcinfo, "value_tier_trans");
	SegValues  *s = PG_ARGISNULL(0) ? NULL : (SegValues *) PG_GETARG_POINTER(0);

	if (PG_ARGISNULL(1))
	{
		if (s == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(s);
	}
	if (s == NULL)
		s = segvals_new(aggctx, 1, true);
	segvals_add(s, 0, PG_GETARG_FLOAT8(1), "value_tier_agg", "customer_value");
	PG_RETURN_POINTER(s);
}

Datum
value_tier_combine(PG_FUNCTION_ARGS)
{
	return segvals_combine_fn(fcinfo, "value_tier_combine", 1, true);
}

Datum
value_tier_serialize(PG_FUNCTION_ARGS)
{
	return segvals_serialize_fn(fcinfo, "value_tier_serialize");
}

Datum
value_tier_deserialize(PG_FUNCTION_ARGS)
{
	return segvals_deserialize_fn(fcinfo, "value_tier_deserialize", 1, true);
}

/*
 * Final: the two cut points by weighted selection, then one pass for the
 * size and value of each tier.  Permutes the values only (READ_ONLY, as in
 * rfm_thresholds_final).  NULL when there is no customer or no value.
 */
Datum
value_tier_final(PG_FUNCTION_ARGS)
{
	SegValues  *s;
	ValueTiers *t;
	double	   *x;
	double		total = 0;
	int64		n,
				i;

	b2b_agg_context(fcinfo, "value_tier_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (SegValues *) PG_GETARG_POINTER(0);
	n = s->n[0];
	x = s->v[0];
	for (i = 0; i < n; i++)
		total += x[i];
	if (!(total > 0))
		PG_RETURN_NULL();
	if (isinf(total))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value_tier_agg: total customer value out of range")));
	t = value_tiers_new();
	t->a_cut = value_tier_cut(x, n, total, SHARE_A);
	t->b_cut = value_tier_cut(x, n, total, SHARE_B);
	for (i = 0; i < n; i++)
	{
		int			k = x[i] >= t->a_cut ? 0 : (x[i] >= t->b_cut ? 1 : 2);

		t->customers[k]++;
		t->value[k] += x[i];
	}
	PG_RETURN_POINTER(t);
}

/* -------------------------------------------------------------- accessors -- */

static int
tier_of(const ValueTiers *t, double v)
{
	return v >= t->a_cut ? 0 : (v >= t->b_cut ? 1 : 2);
}

Datum
value_tier_of(PG_FUNCTION_ARGS)
{
	ValueTiers *t = PG_GETARG_VALUE_TIERS(0);
	double		v = PG_GETARG_FLOAT8(1);

	if (isnan(v) || v < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("value_tier: customer value must be 0 or more, got %s",
						isnan(v) ? "NaN" : psprintf("%g", v)),
				 errhint("Customer value is revenue or margin brought, 0 or more; pass NULL for an unknown value.")));
	PG_RETURN_TEXT_P(cstring_to_text(tier_names[tier_of(t, v)]));
}

static int
tier_arg(text *name)
{
	char	   *s = text_to_cstring(name);
	int			i;

	for (i = 0; i < NTIERS; i++)
		if (pg_strcasecmp(s, tier_names[i]) == 0)
			return i;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown value tier \"%s\"", s),
			 errhint("The tiers are A, B and C.")));
	return -1;
}

/* Smallest value of the tier: a_cut for A, b_cut for B, 0 for C. */
Datum
value_tiers_cut(PG_FUNCTION_ARGS)
{
	ValueTiers *t = PG_GETARG_VALUE_TIERS(0);
	int			i = tier_arg(PG_GETARG_TEXT_PP(1));

	PG_RETURN_FLOAT8(i == 0 ? t->a_cut : (i == 1 ? t->b_cut : 0.0));
}

Datum
value_tiers_customers(PG_FUNCTION_ARGS)
{
	ValueTiers *t = PG_GETARG_VALUE_TIERS(0);

	PG_RETURN_INT64(t->customers[tier_arg(PG_GETARG_TEXT_PP(1))]);
}

Datum
value_tiers_value(PG_FUNCTION_ARGS)
{
	ValueTiers *t = PG_GETARG_VALUE_TIERS(0);

	PG_RETURN_FLOAT8(t->value[tier_arg(PG_GETARG_TEXT_PP(1))]);
}
