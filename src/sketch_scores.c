/*
 * sketch_scores.c — the score_histogram type: positives and negatives per
 * score bucket round(score * R) of scores in [0, 1], and the bounded twins
 * of auc_agg and lift_agg built on it.
 *
 * auc_agg and lift_agg keep every score (internal state).  At a fixed
 * resolution R the counts per bucket are all an AUC or a lift table
 * needs, so the state is the stored type itself (SPEC §1), 16 (R + 1)
 * bytes, updated in place and combined by adding counts (exact for any
 * split).  The AUC treats the pairs in one bucket as ties; the exact AUC
 * lies within auc_error_bound = sum_b pos_b neg_b / (2 P N) of it, and
 * equals it when the scores carry no more resolution than the buckets.
 */
#include "b2btarget.h"

#include <math.h>

#include "common/int.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "sketch_core.h"

PG_FUNCTION_INFO_V1(score_histogram_in);
PG_FUNCTION_INFO_V1(score_histogram_out);
PG_FUNCTION_INFO_V1(score_histogram_recv);
PG_FUNCTION_INFO_V1(score_histogram_send);
PG_FUNCTION_INFO_V1(score_histogram_trans);
PG_FUNCTION_INFO_V1(score_histogram_combine);
PG_FUNCTION_INFO_V1(score_histogram_auc);
PG_FUNCTION_INFO_V1(score_histogram_auc_bound);
PG_FUNCTION_INFO_V1(score_histogram_lift);

extern Datum lift_in(PG_FUNCTION_ARGS);

#define SH_DEFAULT_RESOLUTION 1000

typedef struct ScoreHistogram
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;			/* 0 */
	uint16		reserved;		/* 0 */
	int32		resolution;
	int32		pad;			/* 0 */
	int64		counts[FLEXIBLE_ARRAY_MEMBER];	/* pos[R + 1], neg[R + 1] */
} ScoreHistogram;

#define SHG_HDR offsetof(ScoreHistogram, counts)
#define SHG_SIZE(r) (SHG_HDR + sizeof(int64) * 2 * ((Size) (r) + 1))
#define SHG_POS(h) ((h)->counts)
#define SHG_NEG(h) ((h)->counts + (h)->resolution + 1)

#define SHG_HINT "A score_histogram is the JSON object score_histogram_agg writes: {\"version\": 1, \"resolution\": R, \"buckets\": [[bucket, positives, negatives], ...]} with the non-empty buckets 0..R in ascending order."

static ScoreHistogram *
shg_new(int resolution)
{
	ScoreHistogram *h = palloc0(SHG_SIZE(resolution));

	SET_VARSIZE(h, SHG_SIZE(resolution));
	h->version = SH_VERSION;
	h->resolution = resolution;
	return h;
}

static void
shg_view(const ScoreHistogram *h, sh_hist *v)
{
	v->resolution = h->resolution;
	v->pos = (int64_t *) SHG_POS(h);
	v->neg = (int64_t *) SHG_NEG(h);
}

static ScoreHistogram *
shg_validate(ScoreHistogram *h)
{
	sh_hist		v;
	const char *problem;

	if (VARSIZE(h) < SHG_HDR)
		b2b_corrupt("score_histogram value is truncated");
	b2b_check_version(h->version, SH_VERSION, "score_histogram");
	if (h->flags != 0 || h->reserved != 0 || h->pad != 0 ||
		h->resolution < 1 || h->resolution > SH_MAX_RESOLUTION ||
		VARSIZE(h) != SHG_SIZE(h->resolution))
		b2b_corrupt("score_histogram value is corrupt (header)");
	shg_view(h, &v);
	if ((problem = sh_problem(&v)) != NULL)
		b2b_corrupt("score_histogram value is corrupt: %s", problem);
	return h;
}

#define PG_GETARG_SHG(n) shg_validate((ScoreHistogram *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

Datum
score_histogram_out(PG_FUNCTION_ARGS)
{
	ScoreHistogram *h = PG_GETARG_SHG(0);
	StringInfoData buf;
	const int64 *pos = SHG_POS(h),
			   *neg = SHG_NEG(h);
	int			b;
	bool		first = true;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\": %d, \"resolution\": %d, \"buckets\": [",
					 SH_VERSION, h->resolution);
	for (b = 0; b <= h->resolution; b++)
		if (pos[b] || neg[b])
		{
			appendStringInfo(&buf, "%s[%d, " INT64_FORMAT ", " INT64_FORMAT "]",
							 first ? "" : ", ", b, pos[b], neg[b]);
			first = false;
		}
	appendStringInfoString(&buf, "]}");
	PG_RETURN_CSTRING(buf.data);
}

static void *
shg_palloc(size_t size)
{
	return palloc(size);
}

Datum
score_histogram_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char		err[160];
	sh_hist		v;
	const char *problem;
	ScoreHistogram *h;

	problem = sh_parse(str, strlen(str), &v, shg_palloc, pfree, err, sizeof(err));
	if (problem)
		b2b_input_error(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type score_histogram: \"%.200s%s\"",
								str, strlen(str) > 200 ? "..." : ""),
						 errdetail("%s", problem),
						 errhint(SHG_HINT)));
	h = shg_new(v.resolution);
	memcpy(h->counts, v.pos, sizeof(int64) * 2 * (v.resolution + 1));
	sh_free(&v, pfree);
	PG_RETURN_POINTER(h);
}

/* Binary: version byte, int32 resolution, int32 buckets, then per
 * non-empty bucket int32 bucket, int64 positives, int64 negatives. */
Datum
score_histogram_send(PG_FUNCTION_ARGS)
{
	ScoreHistogram *h = PG_GETARG_SHG(0);
	StringInfoData buf;
	const int64 *pos = SHG_POS(h),
			   *neg = SHG_NEG(h);
	int			b,
				n = 0;

	for (b = 0; b <= h->resolution; b++)
		n += (pos[b] || neg[b]);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SH_VERSION);
	pq_sendint32(&buf, h->resolution);
	pq_sendint32(&buf, n);
	for (b = 0; b <= h->resolution; b++)
		if (pos[b] || neg[b])
		{
			pq_sendint32(&buf, b);
			pq_sendint64(&buf, pos[b]);
			pq_sendint64(&buf, neg[b]);
		}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

#define shg_bad_binary(what) b2b_bad_binary("score_histogram", "%s", (what))

Datum
score_histogram_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	ScoreHistogram *h;
	sh_hist		v;
	const char *problem;
	int			r,
				n,
				i,
				prev = -1;

	if (buf->len - buf->cursor < 9)
		shg_bad_binary("truncated header");
	if (pq_getmsgbyte(buf) != SH_VERSION)
		shg_bad_binary("unknown version");
	r = pq_getmsgint(buf, 4);
	n = pq_getmsgint(buf, 4);
	if (r < 1 || r > SH_MAX_RESOLUTION)
		shg_bad_binary("resolution out of range");
	if (n < 0 || n > r + 1 || buf->len - buf->cursor != 20 * n)
		shg_bad_binary("wrong length for the number of buckets");
	h = shg_new(r);
	for (i = 0; i < n; i++)
	{
		int			b = pq_getmsgint(buf, 4);
		int64		p = pq_getmsgint64(buf);
		int64		q = pq_getmsgint64(buf);

		if (b <= prev || b > r || p < 0 || q < 0 || (p == 0 && q == 0))
			shg_bad_binary("bucket out of order, out of range or empty");
		SHG_POS(h)[b] = p;
		SHG_NEG(h)[b] = q;
		prev = b;
	}
	shg_view(h, &v);
	if ((problem = sh_problem(&v)) != NULL)
		shg_bad_binary(problem);
	PG_RETURN_POINTER(h);
}

/*
 * score_histogram_agg(score, label [, resolution]): a NULL score or label
 * skips the row; a score outside [0, 1] is an error.
 */
Datum
score_histogram_trans(PG_FUNCTION_ARGS)
{
	ScoreHistogram *h;
	int			r = SH_DEFAULT_RESOLUTION;
	double		s;

	b2b_agg_context(fcinfo, "score_histogram_trans");
	if (PG_NARGS() > 3)
	{
		if (PG_ARGISNULL(3))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("score_histogram_agg resolution must not be NULL"),
					 errhint("Give the number of score buckets, 1 to %d (default %d).", SH_MAX_RESOLUTION, SH_DEFAULT_RESOLUTION)));
		r = PG_GETARG_INT32(3);
		if (r < 1 || r > SH_MAX_RESOLUTION)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("score_histogram_agg resolution %d is out of range", r),
					 errhint("Give the number of score buckets, 1 to %d (default %d).", SH_MAX_RESOLUTION, SH_DEFAULT_RESOLUTION)));
	}
	if (PG_ARGISNULL(0))
		h = shg_new(r);
	else
	{
		h = (ScoreHistogram *) PG_GETARG_POINTER(0);
		if (h->resolution != r)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("score_histogram_agg resolution differs between rows (%d and %d)", h->resolution, r),
					 errhint("Give the same resolution in every row, usually as a constant.")));
	}
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(h);
	s = PG_GETARG_FLOAT8(1);
	if (!(s >= 0 && s <= 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("score_histogram_agg: score %s is not between 0 and 1",
						isnan(s) ? "NaN" : psprintf("%g", s)),
				 errhint("The bucketed aggregates take probabilities; use auc_agg or lift_agg for scores on another scale.")));
	if (PG_GETARG_BOOL(2))
		SHG_POS(h)[sh_bucket(s, r)]++;
	else
		SHG_NEG(h)[sh_bucket(s, r)]++;
	PG_RETURN_POINTER(h);
}

/* Combine (and rollup's transition), strict: add b's counts into a. */
Datum
score_histogram_combine(PG_FUNCTION_ARGS)
{
	ScoreHistogram *a;
	ScoreHistogram *b;
	int			i;

	b2b_agg_context(fcinfo, "score_histogram_combine");
	/* a may be rollup's first input, as stored: detoast and check it too */
	a = PG_GETARG_SHG(0);
	b = PG_GETARG_SHG(1);
	if (a->resolution != b->resolution)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("score_histogram values of resolutions %d and %d cannot be combined",
						Min(a->resolution, b->resolution), Max(a->resolution, b->resolution)),
				 errhint("Combine histograms made with the same resolution.")));
	for (i = 0; i < 2 * (a->resolution + 1); i++)
		if (pg_add_s64_overflow(a->counts[i], b->counts[i], &a->counts[i]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("score_histogram count out of range")));
	PG_RETURN_POINTER(a);
}

/* histogram_auc(score_histogram): NULL without both classes. */
Datum
score_histogram_auc(PG_FUNCTION_ARGS)
{
	ScoreHistogram *h = PG_GETARG_SHG(0);
	double		bound;
	double		auc = sh_auc(SHG_POS(h), SHG_NEG(h), h->resolution, &bound);

	if (isnan(auc))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(auc);
}

Datum
score_histogram_auc_bound(PG_FUNCTION_ARGS)
{
	ScoreHistogram *h = PG_GETARG_SHG(0);
	double		bound;

	(void) sh_auc(SHG_POS(h), SHG_NEG(h), h->resolution, &bound);
	if (isnan(bound))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(bound);
}

/* histogram_lift(score_histogram): the lift of the buckets (score b / R), as lift_agg's type. */
Datum
score_histogram_lift(PG_FUNCTION_ARGS)
{
	ScoreHistogram *h = PG_GETARG_SHG(0);
	StringInfoData buf;
	const int64 *pos = SHG_POS(h),
			   *neg = SHG_NEG(h);
	int			b,
				k;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"version\": 1, \"scores\": [");
	for (k = 0; k < 3; k++)
	{
		bool		first = true;

		if (k == 1)
			appendStringInfoString(&buf, "], \"rows\": [");
		else if (k == 2)
			appendStringInfoString(&buf, "], \"positives\": [");
		for (b = h->resolution; b >= 0; b--)
			if (pos[b] || neg[b])
			{
				if (!first)
					appendStringInfoString(&buf, ", ");
				first = false;
				if (k == 0)
					b2b_append_float8(&buf, (double) b / h->resolution);
				else
					appendStringInfo(&buf, INT64_FORMAT, k == 1 ? pos[b] + neg[b] : pos[b]);
			}
	}
	appendStringInfoString(&buf, "]}");
	PG_RETURN_DATUM(DirectFunctionCall1(lift_in, CStringGetDatum(buf.data)));
}
