/*
 * rfm.c — the rfm cell type, rfm_thresholds, rfm_thresholds_agg and
 * rfm_score.
 *
 * An rfm is an int16 holding R*100 + F*10 + M, passed by value; comparison
 * and hashing reuse the built-in int2 functions, which order cells by R,
 * then F, then M.
 *
 * rfm_thresholds holds the 20/40/60/80th percentiles of each dimension, as
 * percentile_cont computes them.  Its aggregate needs every value (exact
 * quantiles are not mergeable from a bounded summary), so the aggregate
 * state is internal (segment_values.h); the stored result is small.
 */
#include "b2btarget.h"

#include <math.h>

#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "json_core.h"
#include "rfm_thresholds.h"
#include "segments.h"
#include "segments_core.h"

#define RFM_SEND_VERSION 1

PG_FUNCTION_INFO_V1(rfm_in);
PG_FUNCTION_INFO_V1(rfm_out);
PG_FUNCTION_INFO_V1(rfm_recv);
PG_FUNCTION_INFO_V1(rfm_send);
PG_FUNCTION_INFO_V1(rfm_make);
PG_FUNCTION_INFO_V1(rfm_r_score);
PG_FUNCTION_INFO_V1(rfm_f_score);
PG_FUNCTION_INFO_V1(rfm_m_score);
PG_FUNCTION_INFO_V1(rfm_thresholds_in);
PG_FUNCTION_INFO_V1(rfm_thresholds_out);
PG_FUNCTION_INFO_V1(rfm_thresholds_recv);
PG_FUNCTION_INFO_V1(rfm_thresholds_send);
PG_FUNCTION_INFO_V1(rfm_thresholds_trans);
PG_FUNCTION_INFO_V1(rfm_thresholds_combine);
PG_FUNCTION_INFO_V1(rfm_thresholds_serialize);
PG_FUNCTION_INFO_V1(rfm_thresholds_deserialize);
PG_FUNCTION_INFO_V1(rfm_thresholds_final);
PG_FUNCTION_INFO_V1(rfm_thresholds_cut_point);
PG_FUNCTION_INFO_V1(rfm_thresholds_customers);
PG_FUNCTION_INFO_V1(rfm_score);

/* ------------------------------------------------------------- rfm cell -- */

/* Every stored value passes through here; a corrupt value is reported. */
int
rfm_checked(Datum d)
{
	int			c = DatumGetInt16(d);

	if (!rfm_code_valid(c))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid rfm value %d", c)));
	return c;
}

static const char rfm_hint[] =
"An rfm cell is three scores from 1 to 5 (recency, frequency, monetary; 5 is best), written \"5-4-3\" or \"543\".";

Datum
rfm_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	int			code = 0;

	switch (rfm_parse(str, strlen(str), &code))
	{
		case RFM_PARSE_OK:
			break;
		case RFM_PARSE_RANGE:
			b2b_input_error(fcinfo,
							(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
							 errmsg("rfm score out of range in \"%s\"", str),
							 errhint("%s", rfm_hint)));
			break;
		default:
			b2b_input_error(fcinfo,
							(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
							 errmsg("invalid input syntax for type rfm: \"%s\"", str),
							 errhint("%s", rfm_hint)));
			break;
	}
	PG_RETURN_INT16((int16) code);
}

Datum
rfm_out(PG_FUNCTION_ARGS)
{
	char	   *buf = palloc(8);

	rfm_format(rfm_checked(PG_GETARG_DATUM(0)), buf);
	PG_RETURN_CSTRING(buf);
}

/* Binary form: a version byte, then the R, F and M bytes. */
Datum
rfm_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version,
				r,
				f,
				m;

	if (buf->len - buf->cursor != 4)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary rfm: expected 4 bytes, got %d",
						buf->len - buf->cursor)));
	version = pq_getmsgbyte(buf);
	if (version != RFM_SEND_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary rfm: unknown version %d", version)));
	r = pq_getmsgbyte(buf);
	f = pq_getmsgbyte(buf);
	m = pq_getmsgbyte(buf);
	if (r < 1 || r > 5 || f < 1 || f > 5 || m < 1 || m > 5)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary rfm: scores %d, %d, %d outside 1..5", r, f, m)));
	PG_RETURN_INT16((int16) rfm_code(r, f, m));
}

Datum
rfm_send(PG_FUNCTION_ARGS)
{
	int			c = rfm_checked(PG_GETARG_DATUM(0));
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, RFM_SEND_VERSION);
	pq_sendbyte(&buf, RFM_R(c));
	pq_sendbyte(&buf, RFM_F(c));
	pq_sendbyte(&buf, RFM_M(c));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
rfm_make(PG_FUNCTION_ARGS)
{
	int32		r = PG_GETARG_INT32(0);
	int32		f = PG_GETARG_INT32(1);
	int32		m = PG_GETARG_INT32(2);

	if (r < 1 || r > 5 || f < 1 || f > 5 || m < 1 || m > 5)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("rfm scores out of range: r %d, f %d, m %d", r, f, m),
				 errhint("Each score is an integer from 1 to 5.")));
	PG_RETURN_INT16((int16) rfm_code(r, f, m));
}

Datum
rfm_r_score(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(RFM_R(rfm_checked(PG_GETARG_DATUM(0))));
}

Datum
rfm_f_score(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(RFM_F(rfm_checked(PG_GETARG_DATUM(0))));
}

Datum
rfm_m_score(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(RFM_M(rfm_checked(PG_GETARG_DATUM(0))));
}

/* -------------------------------------------------------- rfm_thresholds -- */

static const double rfm_quintiles[RFM_NCUTS] = {0.2, 0.4, 0.6, 0.8};

static const char rfm_thresholds_hint[] =
"rfm_thresholds is a JSON object with the keys \"recency_days\", \"frequency\" and \"monetary\", each {\"count\": n, \"cuts\": [p20, p40, p60, p80]}: n >= 1 values, four finite non-decreasing cut points.";

static RfmThresholds *
rfm_thresholds_new(void)
{
	RfmThresholds *t = (RfmThresholds *) palloc0(RFM_THRESHOLDS_SIZE);

	SET_VARSIZE(t, RFM_THRESHOLDS_SIZE);
	t->version = RFM_THRESHOLDS_VERSION;
	t->ndims = RFM_NDIMS;
	return t;
}

RfmThresholds *
rfm_thresholds_validate(RfmThresholds *t)
{
	const char *problem;

	if (VARSIZE(t) != RFM_THRESHOLDS_SIZE)
		b2b_corrupt("rfm_thresholds value has size %u, expected %u",
					(unsigned) VARSIZE(t), (unsigned) RFM_THRESHOLDS_SIZE);
	b2b_check_version(t->version, RFM_THRESHOLDS_VERSION, "rfm_thresholds");
	if (t->ndims != RFM_NDIMS || t->flags != 0 || t->pad != 0)
		b2b_corrupt("rfm_thresholds value is corrupt (dimensions %d, flags %d)",
					t->ndims, t->flags);
	problem = rfm_thresholds_problem(&t->f);
	if (problem)
		b2b_corrupt("rfm_thresholds value is corrupt (%s)", problem);
	return t;
}

/* Parsing and every check: rfm_thresholds_parse (segments_core.c). */
Datum
rfm_thresholds_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	RfmThresholds *t = rfm_thresholds_new();
	char		err[BJ_ERR_SIZE];

	if (rfm_thresholds_parse(str, strlen(str), &t->f, err, sizeof(err)) != NULL)
		b2b_input_error(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type rfm_thresholds: \"%s\"", str),
						 errdetail("%s", err),
						 errhint("%s", rfm_thresholds_hint)));
	PG_RETURN_POINTER(t);
}

Datum
rfm_thresholds_out(PG_FUNCTION_ARGS)
{
	RfmThresholds *t = PG_GETARG_RFM_THRESHOLDS(0);
	StringInfoData buf;
	int			d,
				k;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (d = 0; d < RFM_NDIMS; d++)
	{
		appendStringInfo(&buf, "%s\"%s\": {\"count\": " INT64_FORMAT ", \"cuts\": [",
						 d > 0 ? ", " : "", rfm_dim_names[d], t->f.count[d]);
		for (k = 0; k < RFM_NCUTS; k++)
		{
			if (k > 0)
				appendStringInfoString(&buf, ", ");
			b2b_append_float8(&buf, t->f.cut[d][k]);
		}
		appendStringInfoString(&buf, "]}");
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/* Binary form: version byte, then per dimension an int64 count and 4 float8. */
Datum
rfm_thresholds_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			expected = 1 + RFM_NDIMS * (8 + 8 * RFM_NCUTS);
	RfmThresholds *t;
	const char *problem;
	int			version,
				d,
				k;

	if (buf->len - buf->cursor != expected)
		b2b_bad_binary("rfm_thresholds", "expected %d bytes, got %d",
					   expected, buf->len - buf->cursor);
	version = pq_getmsgbyte(buf);
	if (version != RFM_THRESHOLDS_VERSION)
		b2b_bad_binary("rfm_thresholds", "unknown version %d", version);
	t = rfm_thresholds_new();
	for (d = 0; d < RFM_NDIMS; d++)
	{
		t->f.count[d] = (int64) pq_getmsgint64(buf);
		for (k = 0; k < RFM_NCUTS; k++)
			t->f.cut[d][k] = pq_getmsgfloat8(buf);
	}
	problem = rfm_thresholds_problem(&t->f);
	if (problem)
		b2b_bad_binary("rfm_thresholds", "%s", problem);
	PG_RETURN_POINTER(t);
}

Datum
rfm_thresholds_send(PG_FUNCTION_ARGS)
{
	RfmThresholds *t = PG_GETARG_RFM_THRESHOLDS(0);
	StringInfoData buf;
	int			d,
				k;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, RFM_THRESHOLDS_VERSION);
	for (d = 0; d < RFM_NDIMS; d++)
	{
		pq_sendint64(&buf, t->f.count[d]);
		for (k = 0; k < RFM_NCUTS; k++)
			pq_sendfloat8(&buf, t->f.cut[d][k]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------------------------------------------------- rfm_thresholds_agg -- */

/*
 * Transition: non-strict, so that a NULL in one dimension skips only that
 * dimension (as three separate percentile_cont calls would).
 */
Datum
rfm_thresholds_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx = b2b_agg_context(fcinfo, "rfm_thresholds_trans");
	SegValues  *s = PG_ARGISNULL(0) ? NULL : (SegValues *) PG_GETARG_POINTER(0);
	int			d;

	for (d = 0; d < RFM_NDIMS; d++)
	{
		if (PG_ARGISNULL(d + 1))
			continue;
		if (s == NULL)
			s = segvals_new(aggctx, RFM_NDIMS, false);
		segvals_add(s, d, PG_GETARG_FLOAT8(d + 1), "rfm_thresholds_agg",
					rfm_dim_names[d]);
	}
	if (s == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(s);
}

Datum
rfm_thresholds_combine(PG_FUNCTION_ARGS)
{
	return segvals_combine_fn(fcinfo, "rfm_thresholds_combine", RFM_NDIMS, false);
}

Datum
rfm_thresholds_serialize(PG_FUNCTION_ARGS)
{
	return segvals_serialize_fn(fcinfo, "rfm_thresholds_serialize");
}

Datum
rfm_thresholds_deserialize(PG_FUNCTION_ARGS)
{
	return segvals_deserialize_fn(fcinfo, "rfm_thresholds_deserialize", RFM_NDIMS, false);
}

/*
 * Final: the quintiles of each dimension by selection.  It permutes the
 * collected values but keeps the same multiset, so the state stays valid
 * for further transitions and final calls (FINALFUNC_MODIFY = READ_ONLY).
 * NULL when any dimension has no value.
 */
Datum
rfm_thresholds_final(PG_FUNCTION_ARGS)
{
	SegValues  *s;
	RfmThresholds *t;
	int			d;

	b2b_agg_context(fcinfo, "rfm_thresholds_final");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (SegValues *) PG_GETARG_POINTER(0);
	for (d = 0; d < RFM_NDIMS; d++)
		if (s->n[d] == 0)
			PG_RETURN_NULL();
	t = rfm_thresholds_new();
	for (d = 0; d < RFM_NDIMS; d++)
	{
		t->f.count[d] = s->n[d];
		quantiles_select(s->v[d], s->n[d], rfm_quintiles, RFM_NCUTS, t->f.cut[d]);
	}
	PG_RETURN_POINTER(t);
}

/* -------------------------------------------------------------- accessors -- */

static int
dimension_arg(text *name)
{
	char	   *s = text_to_cstring(name);
	int			d;

	for (d = 0; d < RFM_NDIMS; d++)
		if (pg_strcasecmp(s, rfm_dim_names[d]) == 0)
			return d;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown rfm dimension \"%s\"", s),
			 errhint("The dimensions are recency_days, frequency and monetary.")));
	return -1;
}

Datum
rfm_thresholds_cut_point(PG_FUNCTION_ARGS)
{
	RfmThresholds *t = PG_GETARG_RFM_THRESHOLDS(0);
	int			d = dimension_arg(PG_GETARG_TEXT_PP(1));
	int32		pct = PG_GETARG_INT32(2);

	if (pct != 20 && pct != 40 && pct != 60 && pct != 80)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("rfm cut point percentile %d is not stored", pct),
				 errhint("The stored percentiles are 20, 40, 60 and 80.")));
	PG_RETURN_FLOAT8(t->f.cut[d][pct / 20 - 1]);
}

Datum
rfm_thresholds_customers(PG_FUNCTION_ARGS)
{
	RfmThresholds *t = PG_GETARG_RFM_THRESHOLDS(0);

	PG_RETURN_INT64(t->f.count[dimension_arg(PG_GETARG_TEXT_PP(1))]);
}

/* ------------------------------------------------------------- rfm_score -- */

/* 1 + the number of cut points strictly below v. */
static int
quintile_score(const double *cut, double v, const char *argname)
{
	int			k,
				score = 1;

	if (isnan(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("rfm_score: %s is NaN", argname),
				 errhint("Pass NULL for an unknown value; the score is then NULL.")));
	for (k = 0; k < RFM_NCUTS; k++)
		score += cut[k] < v;
	return score;
}

Datum
rfm_score(PG_FUNCTION_ARGS)
{
	RfmThresholds *t = PG_GETARG_RFM_THRESHOLDS(0);
	/* recency inverted: fewer days since the last purchase is better */
	int			r = 6 - quintile_score(t->f.cut[0], PG_GETARG_FLOAT8(1), "recency_days");
	int			f = quintile_score(t->f.cut[1], PG_GETARG_FLOAT8(2), "frequency");
	int			m = quintile_score(t->f.cut[2], PG_GETARG_FLOAT8(3), "monetary");

	PG_RETURN_INT16((int16) rfm_code(r, f, m));
}
