/*
 * targeting_core.h — bulls-eye targeting math (SPEC §9): the budgeted
 * target plan (0/1 knapsack), probability calibration (isotonic, Platt),
 * reliability bins, uplift curves and metrics, and the JSON text forms of
 * the target_plan, calibrator and uplift types.  Plain C (no postgres.h).
 */
#ifndef B2B_TARGETING_CORE_H
#define B2B_TARGETING_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Allocator callbacks: palloc/pfree in the server, malloc/free alone. */
typedef void *(*tg_alloc_fn) (size_t size);
typedef void (*tg_free_fn) (void *ptr);
/* Called once per outer loop step of long computations (CHECK_FOR_INTERRUPTS). */
typedef void (*tg_interrupt_fn) (void);

/* ---------------------------------------------------------------------
 * Target plan: 0/1 knapsack on expected value under a budget.
 * --------------------------------------------------------------------- */

typedef struct tp_item
{
	int64_t		id;
	double		p;
	double		value;
	double		cost;
	double		ev;				/* p * value - cost, > 0 */
	double		ratio;			/* ev / cost (+Infinity when cost is 0) */
} tp_item;

/*
 * The exact dynamic programme runs when every cost is a whole multiple of
 * 1, 0.1, 0.01, 0.001 or 0.0001 (the coarsest that fits) and
 * candidates x (scaled budget + 1) <= TP_DP_MAX_CELLS: one bit a cell for
 * the reconstruction (32 MB) and one double per budget unit.
 */
#define TP_DP_MAX_CELLS ((int64_t) 1 << 28)

/* expected value p * value - cost */
extern double tp_expected_value(double p, double value, double cost);

/* Fill ev and ratio of an item from p, value, cost. */
extern void tp_item_init(tp_item *it);

/* Rank order: ratio desc, ev desc, id asc, cost asc, value asc, p asc. */
extern void tp_sort(tp_item *items, size_t n);

typedef struct tp_result
{
	size_t		nchosen;		/* items[0..nchosen) after tp_solve */
	bool		exact;			/* optimal (DP, or all fit) */
	double		upper_bound;	/* LP relaxation (Dantzig) bound */
	double		total_ev;		/* sum of ev of the chosen */
	double		total_cost;
} tp_result;

/*
 * Solve: items must have ev > 0 and 0 <= cost <= budget (others can never
 * be chosen).  On return the chosen items are moved to the front, in rank
 * order.  max_cells bounds the DP (TP_DP_MAX_CELLS in the server).
 * Returns false only when alloc fails.
 */
extern bool tp_solve(tp_item *items, size_t n, double budget, int64_t max_cells,
					 tp_result *res, tg_alloc_fn alloc, tg_free_fn dealloc,
					 tg_interrupt_fn interrupt);

/* Target plan text form (JSON). */
#define TP_VERSION 1

typedef struct tp_plan
{
	int64_t		candidates;
	double		budget;
	double		upper_bound;
	bool		exact;
	size_t		n;
	tp_item    *items;			/* from alloc */
} tp_plan;

/* NULL when the plan is consistent, else what is wrong. */
extern const char *tp_plan_problem(const tp_plan *p);
extern const char *tp_plan_parse(const char *str, size_t len, size_t max_items,
								 tp_plan *p, tg_alloc_fn alloc,
								 tg_free_fn dealloc, char *err, size_t errsz);

/* ---------------------------------------------------------------------
 * Calibration.
 * --------------------------------------------------------------------- */

#define CAL_VERSION 1
#define CAL_ISOTONIC 1
#define CAL_PLATT 2

/*
 * Isotonic regression as scikit-learn's IsotonicRegression(increasing=True):
 * x ascending (ties allowed: pooled first by weighted mean), y, w > 0; PAV;
 * then interior points whose y equals both neighbours' dropped.  outx/outy
 * hold n each; returns the number of points kept (0 when alloc fails).
 */
extern size_t cal_isotonic_fit(const double *x, const double *y, const double *w,
							   size_t n, double *outx, double *outy,
							   tg_alloc_fn alloc, tg_free_fn dealloc);

/* np.interp on the fitted points, clipped to [x[0], x[n-1]] outside. */
extern double cal_isotonic_predict(const double *x, const double *y, size_t n,
								   double s);

/*
 * Platt scaling with Platt's smoothed targets, by the Newton method with
 * backtracking of Lin, Lin and Weng (2007) as libsvm's sigmoid_train (the
 * reference of scikit-learn's _sigmoid_calibration test): from groups of
 * distinct scores f[g] with rows[g] rows of which pos[g] positive.
 * p(s) = 1 / (1 + exp(a s + b)).  Returns the iterations used.
 */
extern int	cal_platt_fit(const double *f, const int64_t *rows, const int64_t *pos,
						  size_t g, double *a, double *b);
extern double cal_platt_predict(double a, double b, double s);

typedef struct cal_model
{
	int			method;
	int64_t		rows;
	int64_t		positives;
	double		a;				/* platt */
	double		b;
	size_t		n;				/* isotonic points */
	double	   *x;
	double	   *y;
} cal_model;

extern const char *cal_model_problem(const cal_model *m);
extern const char *cal_model_parse(const char *str, size_t len, size_t max_points,
								   cal_model *m, tg_alloc_fn alloc,
								   tg_free_fn dealloc, char *err, size_t errsz);

/*
 * Reliability bins as scikit-learn's calibration_curve from descending tie
 * groups (score in [0, 1], rows, positives): strategy 0 uniform, 1
 * quantile (np.percentile edges, linear).  brows/bpos/bsum hold nbins
 * each (rows, positives, sum of scores per bin); edges is workspace of
 * nbins + 1.
 */
extern void cal_curve_bins(const double *score, const int64_t *rows,
						   const int64_t *pos, size_t g, int nbins, int strategy,
						   int64_t *brows, int64_t *bpos, double *bsum,
						   double *edges);

/* ---------------------------------------------------------------------
 * Uplift: tie groups (descending score) of treated/control rows and
 * conversions; scikit-uplift's curves and metrics.
 * --------------------------------------------------------------------- */

#define UP_VERSION 1

typedef struct up_groups
{
	size_t		n;
	double	   *score;
	int64_t    *nt;				/* treated rows */
	int64_t    *yt;				/* treated conversions */
	int64_t    *nc;				/* control rows */
	int64_t    *yc;				/* control conversions */
} up_groups;

extern const char *up_problem(const up_groups *u);
extern const char *up_parse(const char *str, size_t len, size_t max_groups,
							up_groups *u, tg_alloc_fn alloc, tg_free_fn dealloc,
							char *err, size_t errsz);
extern void up_free(up_groups *u, tg_free_fn dealloc);

/* qini_auc_score (negative_effect=True); NaN without treated or control rows or when perfect = random. */
extern double up_qini_auc(const up_groups *u);
/* uplift_auc_score; NaN as up_qini_auc. */
extern double up_uplift_auc(const up_groups *u);
/*
 * uplift_at_k, strategy 0 'overall' (top int(n k) rows) or 1 'by_group'
 * (top int(n_t k) treated and int(n_c k) control).  A tie group cut by the
 * boundary is taken in proportion.  NaN when a group has no rows in the top.
 */
extern double up_at_k(const up_groups *u, double k, int strategy);

/*
 * uplift_table buckets: rows ranked by descending score split as
 * np.array_split (the first n % buckets buckets one row longer); a tie
 * group goes whole into the bucket of its first row.  Per bucket: nt, yt,
 * nc, yc, and the Qini curve at its end.
 */
extern void up_buckets(const up_groups *u, int buckets, int64_t *bnt, int64_t *byt,
					   int64_t *bnc, int64_t *byc, double *bqini);

#endif
