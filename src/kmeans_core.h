/*
 * kmeans_core.h — k-means (k-means++ seeding, Lloyd passes), the
 * kmeans_model fields, their checks and their JSON text form.  Plain C (no
 * postgres.h): unit-tested and fuzzed alone.
 *
 * One Lloyd pass is the same code for kmeans_fit (rows in memory) and for
 * kmeans_step (one bounded aggregate pass): km_pass_begin, km_pass_add for
 * each row, km_pass_merge of partial passes, km_pass_finish.  Sums are kept
 * in double-double (about 106 bits), so a pass gives the same centroids, to
 * the last bit in all but contrived cases, whatever the order or the split
 * of its rows.
 *
 * Model space: with scale zscore a feature is (x - mean) / sd (sd 1 for a
 * constant feature), with none it is x.  Centroids, distances and the
 * objective are in model space; mean and sd are the population moments of
 * the rows, always kept (cluster_profile uses them).
 */
#ifndef B2B_KMEANS_CORE_H
#define B2B_KMEANS_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KM_VERSION 1
#define KM_MAX_K 1000
#define KM_MAX_D 1000
#define KM_MAX_KD 1000000		/* k * d */
#define KM_MAX_ITER 10000
#define KM_DEFAULT_MAX_ITER 300 /* as scikit-learn's max_iter */
#define KM_MAX_PASSES 1000000000	/* iterations counted (kmeans_step by hand) */
#define KM_MAX_COUNT 9007199254740992.0 /* 2^53: counts are exact doubles */

/* flags */
#define KM_CONVERGED 0x01		/* the last pass changed no centroid */
#define KM_ZSCORE 0x02			/* features are standardised */
#define KM_PENDING 0x04			/* moments not known yet: centroids in input
								 * units, a kmeans_step pass computes them */
#define KM_PASS 0x08			/* a partial Lloyd pass (kmeans_step state) */
#define KM_EVAL 0x10			/* the pass keeps the centroids */
#define KM_FLAGS_ALL 0x1f

/*
 * Decoded fields.  data holds km_data_len(k, d, flags) doubles:
 *   mean[d], sd[d], centroids[k*d], members[k]
 *   PENDING: moment sums sum_hi[d], sum_lo[d], sq_hi[d], sq_lo[d], min[d],
 *            max[d] (+-Infinity before the first row)
 *   PASS:    sum_hi[k*d], sum_lo[k*d], count[k], acc[4] (objective hi/lo,
 *            silhouette hi/lo), far[k*(d+2)] (distance, cluster or -1,
 *            point), the k rows farthest from their centroid, farthest first
 * objective and silhouette are NaN when not evaluated yet.
 */
typedef struct km_fields
{
	int			k;
	int			d;
	int			iterations;
	unsigned	flags;
	int64_t		rows;
	int64_t		skipped;
	double		objective;
	double		silhouette;
	double	   *data;
} km_fields;

extern size_t km_data_len(int k, int d, unsigned flags);
static inline double *km_mean(const km_fields *f) { return f->data; }
static inline double *km_sd(const km_fields *f) { return f->data + f->d; }
static inline double *km_cent(const km_fields *f) { return f->data + 2 * f->d; }
static inline double *km_members(const km_fields *f) { return f->data + 2 * f->d + (size_t) f->k * f->d; }
static inline double *km_extra(const km_fields *f) { return km_members(f) + f->k; }
/* PENDING */
static inline double *km_mom(const km_fields *f) { return km_extra(f); }
/* PASS */
static inline double *km_sum_hi(const km_fields *f) { return km_extra(f); }
static inline double *km_sum_lo(const km_fields *f) { return km_extra(f) + (size_t) f->k * f->d; }
static inline double *km_count(const km_fields *f) { return km_extra(f) + 2 * (size_t) f->k * f->d; }
static inline double *km_acc(const km_fields *f) { return km_count(f) + f->k; }
static inline double *km_far(const km_fields *f) { return km_acc(f) + 4; }

/* Whether dimensions are acceptable; NULL if so, else what is wrong. */
extern const char *km_shape_problem(int k, int d);

/*
 * Check decoded fields; NULL when valid, else what is wrong (the caller
 * chooses the SQLSTATE).
 */
extern const char *km_fields_problem(const km_fields *f);

/* ---- interrupts: the glue sets this to a function that may longjmp ---- */
extern void (*km_interrupt_hook) (void);

/* ---- moments ---- */
/* Add one row (input units) to the PENDING moment sums; rows++. */
extern void km_moments_add(km_fields *f, const double *x);
/*
 * PENDING -> model: mean and sd from the moment sums (rows must be > 0),
 * centroids converted to model space, flag cleared, statistics reset.
 */
extern void km_moments_finish(km_fields *f);
/* Population moments of rows (in blocks) into mean, sd, as km_moments_*. */
typedef struct km_block
{
	double	   *rows;			/* n rows of d doubles */
	size_t		n;
} km_block;
extern void km_moments_rows(const km_block *blocks, size_t nblocks, int d,
							double *mean, double *sd, double *work);
#define KM_MOM_LEN(d) (6 * (size_t) (d))	/* work of km_moments_rows */

/* Model space of one row: out = (x - mean) / sd (sd 0 -> 1), or x. */
extern void km_scale_row(const km_fields *f, const double *x, double *out);

/* ---- assignment ---- */
/*
 * Nearest centroid (0-based; ties: the lowest index), its squared distance
 * in *d1 and the second smallest in *d2 (NaN when k = 1).
 */
extern int	km_nearest(const double *cent, int k, int d, const double *x,
					   double *d1, double *d2);
extern double km_sqdist(const double *a, const double *b, int d);
/* MADlib's simplified silhouette of one row: (d2 - d1) / max(d1, d2). */
extern double km_silhouette1(double d1, double d2);

/* ---- one Lloyd pass ---- */
/*
 * pass (PASS set, data sized for it) from model (neither PASS nor
 * PENDING): copies the model and zeroes the accumulators.  update false:
 * an evaluation pass (KM_EVAL), the centroids stay.
 */
extern void km_pass_begin(km_fields *pass, const km_fields *model, bool update);
/* One row in model space. */
extern void km_pass_add(km_fields *pass, const double *x);
/* a += b (same model: the caller checks km_same_model). */
extern void km_pass_merge(km_fields *a, const km_fields *b);
/* Whether two passes or pending states belong to the same model. */
extern bool km_same_model(const km_fields *a, const km_fields *b);
/*
 * pass -> model in place (out gets km_data_len(k, d, flags & ~PASS)
 * doubles; may not alias pass->data): new centroids (empty clusters take
 * the farthest rows, see km_relocate), members, objective, silhouette,
 * iterations + 1 and CONVERGED when no centroid changed; an EVAL pass keeps
 * centroids, iterations and CONVERGED.
 */
extern void km_pass_finish(const km_fields *pass, km_fields *out, double *outdata,
							double *work);
#define KM_FINISH_WORK_LEN(k, d) (2 * (size_t) (k) * (d) + 2 * (size_t) (k))

/* ---- seeding ---- */
/* Local trials of greedy k-means++: 2 + floor(ln k), as scikit-learn. */
extern int	km_local_trials(int k);
/*
 * Greedy k-means++ over the rows (model space) into cent[k*d].  Sampling
 * is by exponential races on a hash of each row's values and the seed, so
 * the result depends on the rows and the seed only, not on their order.
 * closest and hashes: n each (work space).
 */
extern void km_seed_plusplus(const km_block *blocks, size_t nblocks, int d,
							 int k, int64_t seed, double *cent,
							 double *closest, uint64_t *hashes);

/*
 * Lloyd passes over the rows (model space) from model's centroids, at most
 * max_iter, until a pass changes no centroid; then, if it did not converge
 * (or max_iter is 0), an evaluation pass so members, objective and
 * silhouette are those of the final centroids.  model->data is rewritten;
 * passdata holds km_data_len(k, d, KM_PASS) doubles, work
 * KM_FINISH_WORK_LEN(k, d).
 */
extern void km_lloyd(km_fields *model, const km_block *blocks, size_t nblocks,
					 int max_iter, double *passdata, double *work);

/* ---- the seeded PRNG (xoshiro256**, seeded by splitmix64) ---- */
typedef struct km_rng
{
	uint64_t	s[4];
} km_rng;
extern void km_rng_init(km_rng *r, uint64_t seed);
extern uint64_t km_rng_next(km_rng *r);
extern uint64_t km_mix64(uint64_t x);

/* ---- text form ---- */
typedef void (*km_put_fn) (void *ctx, const char *s, size_t len);
typedef void (*km_putf_fn) (void *ctx, double v);	/* NaN as "NaN" */
extern void km_write_json(const km_fields *f, km_put_fn put, km_putf_fn putf, void *ctx);

typedef void *(*km_alloc_fn) (size_t size);
typedef void (*km_free_fn) (void *ptr);
/*
 * Parse the JSON text form into *f and check it.  NULL on success (f->data
 * from alloc); else what is wrong (a constant or err) and nothing is left
 * allocated.
 */
extern const char *km_parse(const char *str, size_t len, km_fields *f,
							km_alloc_fn alloc, km_free_fn dealloc,
							char *err, size_t errsz);

#endif
