/*
 * nps.c — Net Promoter Score: nps_category(score) and nps_agg(score).
 *
 * nps_agg's state is bounded (three counters), so per SPEC §1 it is a real
 * type, bigint[3] = {promoters, passives, detractors}, changed in place
 * inside the aggregate context (as float8_accum does with its array), which
 * Citus can ship between nodes as text.
 */
#include "b2btarget.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "segments.h"

PG_FUNCTION_INFO_V1(nps_category);
PG_FUNCTION_INFO_V1(nps_trans);
PG_FUNCTION_INFO_V1(nps_inv);
PG_FUNCTION_INFO_V1(nps_combine);
PG_FUNCTION_INFO_V1(nps_final);

enum
{
	NPS_PROMOTER = 0,
	NPS_PASSIVE = 1,
	NPS_DETRACTOR = 2
};

static const char *const nps_names[3] = {"promoter", "passive", "detractor"};

static int
nps_class(int32 score)
{
	if (score < 0 || score > 10)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("NPS score %d is out of range", score),
				 errhint("A Net Promoter Score answer is an integer from 0 to 10.")));
	return score >= 9 ? NPS_PROMOTER : (score >= 7 ? NPS_PASSIVE : NPS_DETRACTOR);
}

Datum
nps_category(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(nps_names[nps_class(PG_GETARG_INT32(0))]));
}

/* The three counters of a state array, checked (it may come from text). */
static int64 *
nps_counts(ArrayType *a)
{
	int64	   *c;

	if (ARR_NDIM(a) != 1 || ARR_DIMS(a)[0] != 3 || ARR_HASNULL(a) ||
		ARR_ELEMTYPE(a) != INT8OID)
		b2b_corrupt("nps_agg state must be a bigint[] of 3 non-null counts {promoters, passives, detractors}");
	c = (int64 *) ARR_DATA_PTR(a);
	if (c[0] < 0 || c[1] < 0 || c[2] < 0)
		b2b_corrupt("nps_agg state has a negative count");
	return c;
}

/* STRICT with INITCOND '{0,0,0}': NULL scores are skipped by the executor. */
Datum
nps_trans(PG_FUNCTION_ARGS)
{
	ArrayType  *a;
	int64	   *c;

	b2b_agg_context(fcinfo, "nps_trans");
	a = PG_GETARG_ARRAYTYPE_P(0);
	c = nps_counts(a);
	c[nps_class(PG_GETARG_INT32(1))]++;
	PG_RETURN_ARRAYTYPE_P(a);
}

/* Inverse transition, for moving windows. */
Datum
nps_inv(PG_FUNCTION_ARGS)
{
	ArrayType  *a;
	int64	   *c;
	int			k;

	b2b_agg_context(fcinfo, "nps_inv");
	a = PG_GETARG_ARRAYTYPE_P(0);
	c = nps_counts(a);
	k = nps_class(PG_GETARG_INT32(1));
	if (c[k] <= 0)
		b2b_corrupt("nps_agg inverse transition out of step");
	c[k]--;
	PG_RETURN_ARRAYTYPE_P(a);
}

Datum
nps_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a;
	int64	   *ca,
			   *cb;
	int			k;

	b2b_agg_context(fcinfo, "nps_combine");
	a = PG_GETARG_ARRAYTYPE_P(0);
	ca = nps_counts(a);
	cb = nps_counts(PG_GETARG_ARRAYTYPE_P(1));
	for (k = 0; k < 3; k++)
		if (pg_add_s64_overflow(ca[k], cb[k], &ca[k]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("nps_agg count out of range")));
	PG_RETURN_ARRAYTYPE_P(a);
}

/* 100 * (promoters - detractors) / answers; NULL without answers. */
Datum
nps_final(PG_FUNCTION_ARGS)
{
	int64	   *c = nps_counts(PG_GETARG_ARRAYTYPE_P(0));
	double		n = (double) c[0] + (double) c[1] + (double) c[2];

	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(100.0 * ((double) c[NPS_PROMOTER] - (double) c[NPS_DETRACTOR]) / n);
}
