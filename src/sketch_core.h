/*
 * sketch_core.h — bounded, mergeable summaries for the population-wide
 * aggregates whose exact forms need every row.  Plain C (no postgres.h):
 * unit-tested and fuzzed alone.
 *
 * quantile_sketch: DDSketch (Masson, Rim and Lee, VLDB 2019) log buckets
 * with counts and sums.  A value x > 0 goes to bucket i = ceil(log_g x),
 * g = (1 + a) / (1 - a) for the relative accuracy a; the bucket's value
 * 2 g^i / (g + 1) is within a * x of every x in it.  Negative values have
 * their own buckets of |x|; zeros are counted apart.  Merging adds counts,
 * so the sketch does not depend on the order or split of the rows.
 *
 * score_histogram: positives and negatives per score bucket round(s * R)
 * of scores in [0, 1] at resolution R.
 */
#ifndef B2B_SKETCH_CORE_H
#define B2B_SKETCH_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QS_VERSION 1
#define QS_MAX_DIMS 3
#define QS_MIN_ACCURACY 1e-4	/* relative_accuracy range */
#define QS_MAX_ACCURACY 0.5
#define QS_MAX_BUCKETS (1 << 20)	/* per sign and dimension */

typedef enum
{
	QS_VALUES = 1,				/* one dimension (value_tier_sketch_agg) */
	QS_RFM = 2,					/* recency_days, frequency, monetary */
	QS_DURATIONS = 3			/* microseconds from one stage to another */
} qs_kind;

/* Buckets lo .. lo + n - 1 of one sign (dense; zero counts allowed). */
typedef struct qs_store
{
	int32_t		lo;
	int32_t		n;
	int64_t    *count;
	double	   *sum;
} qs_store;

typedef struct qs_dim
{
	int64_t		count;			/* values, zeros included */
	int64_t		zeros;
	double		sum;			/* of the values (float sum) */
	double		min;			/* exact; 0 without values */
	double		max;
	qs_store	pos;
	qs_store	neg;			/* buckets of |x| for x < 0 */
} qs_dim;

typedef struct qs_sketch
{
	int			kind;
	double		alpha;			/* relative accuracy */
	int			ndims;			/* 1, 3 for QS_RFM */
	/* QS_DURATIONS only */
	int			from;			/* stages 1..7 */
	int			to;
	int64_t		journeys;		/* that reached from */
	__int128	sum_us;			/* exact sum of the durations */
	qs_dim		dim[QS_MAX_DIMS];
} qs_sketch;

/* Dimensions of a kind (0 for an unknown kind). */
extern int	qs_kind_dims(int kind);
extern const char *qs_kind_name(int kind);

/* gamma and 1 / log(gamma) of a relative accuracy. */
extern double qs_gamma(double alpha);
/* Bucket index of x > 0; false when out of the representable range. */
extern int32_t qs_index(double x, double inv_log_gamma);
/* The value of bucket i (> 0). */
extern double qs_bucket_value(int32_t i, double gamma);

/*
 * Value of the 0-based rank r (0 <= r < d->count) in ascending order: the
 * value of its bucket, clamped to [min, max].
 */
extern double qs_rank_value(const qs_dim *d, double gamma, int64_t r);
/*
 * percentile_cont(q) from the sketch: the interpolation between the
 * values of ranks floor(h) and ceil(h), h = q (count - 1).  Each rank's
 * value is within alpha |x| of the exact order statistic x, so the result
 * is within alpha max(|x_lo|, |x_hi|) of the exact percentile.
 */
extern double qs_quantile(const qs_dim *d, double gamma, double q);

/*
 * Value tiers from a sketch of values >= 0 with sum > 0: the cut points of
 * shares a_share <= b_share (as value_tier_cut: the smallest v such that
 * the values above v bring less than share of the total) and the
 * customers and value of each tier, by bucket.  The cut point's bucket is
 * exactly the exact cut point's, so each cut is within alpha of it.
 */
extern void qs_tiers(const qs_dim *d, double gamma, double a_share, double b_share,
					 double *a_cut, double *b_cut, int64_t customers[3], double value[3]);

/* NULL when the sketch is consistent, else what is wrong. */
extern const char *qs_problem(const qs_sketch *s);

typedef void *(*qs_alloc_fn) (size_t size);
typedef void (*qs_free_fn) (void *ptr);

/*
 * Parse the JSON text form quantile_sketch_out writes (len bytes, no NUL
 * needed) into *s, checked with qs_problem.  On success the stores'
 * arrays come from alloc (free with qs_free).  Otherwise returns what is
 * wrong (err gets the reader's message with its position) and has freed
 * all it allocated.
 */
extern const char *qs_parse(const char *str, size_t len, qs_sketch *s,
							qs_alloc_fn alloc, qs_free_fn dealloc,
							char *err, size_t errsz);
extern void qs_free(qs_sketch *s, qs_free_fn dealloc);

/* Decimal text of an int128 (buf: 41 bytes at least). */
extern void qs_int128_text(__int128 v, char *buf);

/* ---- score_histogram ---- */

#define SH_VERSION 1
#define SH_MAX_RESOLUTION 100000

/* Bucket of a score in [0, 1] at resolution R: round(score * R). */
extern int	sh_bucket(double score, int resolution);

/*
 * AUC from bucket counts (ascending buckets 0..R): pairs in one bucket
 * count half.  *bound gets sum_b pos_b neg_b / (2 P N): the exact AUC of
 * the underlying scores lies within it (it is 0 when no bucket holds both
 * a positive and a negative, and exact when the scores carry no more
 * resolution than the buckets, i.e. tied scores share buckets).  NaN when
 * either class is empty.
 */
extern double sh_auc(const int64_t *pos, const int64_t *neg, int resolution, double *bound);

/* Parsed form: dense counts of resolution + 1 buckets. */
typedef struct sh_hist
{
	int			resolution;
	int64_t    *pos;
	int64_t    *neg;
} sh_hist;

extern const char *sh_problem(const sh_hist *h);
extern const char *sh_parse(const char *str, size_t len, sh_hist *h,
							qs_alloc_fn alloc, qs_free_fn dealloc,
							char *err, size_t errsz);
extern void sh_free(sh_hist *h, qs_free_fn dealloc);

#endif
