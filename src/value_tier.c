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
#include "value_tiers.h"
#include "segments_core.h"

#define NTIERS VALUE_TIERS_N
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

ValueTiers *
value_tiers_validate(ValueTiers *t)
{
	const char *problem;

	if (VARSIZE(t) != VALUE_TIERS_SIZE)
		b2b_corrupt("value_tiers value has size %u, expected %u",
					(unsigned) VARSIZE(t), (unsigned) VALUE_TIERS_SIZE);
	b2b_check_version(t->version, VALUE_TIERS_VERSION, "value_tiers");
	if (t->ntiers != NTIERS || t->flags != 0 || t->pad != 0)
		b2b_corrupt("value_tiers value is corrupt (tiers %d, flags %d)",
					t->ntiers, t->flags);
	if ((problem = value_tiers_problem(&t->f)) != NULL)
		b2b_corrupt("value_tiers value is corrupt (%s)", problem);
	return t;
}

/* Parsing and every check: value_tiers_parse (segments_core.c). */
Datum
value_tiers_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	ValueTiers *t = value_tiers_new();
	char		err[BJ_ERR_SIZE];

	if (value_tiers_parse(str, strlen(str), &t->f, err, sizeof(err)) != NULL)
		b2b_input_error(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type value_tiers: \"%s\"", str),
						 errdetail("%s", err),
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
	b2b_append_float8(&buf, t->f.a_cut);
	appendStringInfoString(&buf, ", \"b_cut\": ");
	b2b_append_float8(&buf, t->f.b_cut);
	appendStringInfoString(&buf, ", \"tiers\": {");
	for (i = 0; i < NTIERS; i++)
	{
		appendStringInfo(&buf, "%s\"%s\": {\"customers\": " INT64_FORMAT ", \"value\": ",
						 i > 0 ? ", " : "", value_tier_names[i], t->f.customers[i]);
		b2b_append_float8(&buf, t->f.value[i]);
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
		b2b_bad_binary("value_tiers", "expected %d bytes, got %d",
					   expected, buf->len - buf->cursor);
	version = pq_getmsgbyte(buf);
	if (version != VALUE_TIERS_VERSION)
		b2b_bad_binary("value_tiers", "unknown version %d", version);
	t = value_tiers_new();
	t->f.a_cut = pq_getmsgfloat8(buf);
	t->f.b_cut = pq_getmsgfloat8(buf);
	for (i = 0; i < NTIERS; i++)
	{
		t->f.customers[i] = (int64) pq_getmsgint64(buf);
		t->f.value[i] = pq_getmsgfloat8(buf);
	}
	if ((problem = value_tiers_problem(&t->f)) != NULL)
		b2b_bad_binary("value_tiers", "%s", problem);
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
	pq_sendfloat8(&buf, t->f.a_cut);
	pq_sendfloat8(&buf, t->f.b_cut);
	for (i = 0; i < NTIERS; i++)
	{
		pq_sendint64(&buf, t->f.customers[i]);
		pq_sendfloat8(&buf, t->f.value[i]);
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
	t->f.a_cut = value_tier_cut(x, n, total, SHARE_A);
	t->f.b_cut = value_tier_cut(x, n, total, SHARE_B);
	for (i = 0; i < n; i++)
	{
		int			k = x[i] >= t->f.a_cut ? 0 : (x[i] >= t->f.b_cut ? 1 : 2);

		t->f.customers[k]++;
		t->f.value[k] += x[i];
	}
	PG_RETURN_POINTER(t);
}

/* -------------------------------------------------------------- accessors -- */

static int
tier_of(const ValueTiers *t, double v)
{
	return v >= t->f.a_cut ? 0 : (v >= t->f.b_cut ? 1 : 2);
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
	PG_RETURN_TEXT_P(cstring_to_text(value_tier_names[tier_of(t, v)]));
}

static int
tier_arg(text *name)
{
	char	   *s = text_to_cstring(name);
	int			i;

	for (i = 0; i < NTIERS; i++)
		if (pg_strcasecmp(s, value_tier_names[i]) == 0)
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

	PG_RETURN_FLOAT8(i == 0 ? t->f.a_cut : (i == 1 ? t->f.b_cut : 0.0));
}

Datum
value_tiers_customers(PG_FUNCTION_ARGS)
{
	ValueTiers *t = PG_GETARG_VALUE_TIERS(0);

	PG_RETURN_INT64(t->f.customers[tier_arg(PG_GETARG_TEXT_PP(1))]);
}

Datum
value_tiers_value(PG_FUNCTION_ARGS)
{
	ValueTiers *t = PG_GETARG_VALUE_TIERS(0);

	PG_RETURN_FLOAT8(t->f.value[tier_arg(PG_GETARG_TEXT_PP(1))]);
}
