/*
 * survival_core.h — Kaplan–Meier survival and Aalen–Johansen cumulative
 * incidence over durations (SPEC §10).  Plain C (no postgres.h).
 *
 * The data is a list of points (time, outcome, count) sorted by (time,
 * outcome), one per distinct pair: outcome 0 is a censoring, outcome k >= 1
 * an event (of type k for competing risks; survival has only k = 1).  Exact
 * Kaplan–Meier needs every distinct time with its event and censoring
 * counts, so the list grows with the distinct durations, not the rows.
 */
#ifndef B2B_SURVIVAL_CORE_H
#define B2B_SURVIVAL_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct SPoint
{
	int64_t		time;			/* microseconds, >= 0 */
	int32_t		outcome;		/* 0 censored, 1..K event type */
	int32_t		reserved;		/* 0 */
	int64_t		count;			/* >= 1 */
} SPoint;

#define SURV_MAX_OUTCOMES	32	/* competing outcomes of one value */
#define SURV_NAME_MAX		63	/* bytes of an outcome name */

/* z of the two-sided 95% interval: the normal quantile at 0.975 */
#define SURV_Z95 1.959963984540054

static inline int
spoint_cmp(const SPoint *a, const SPoint *b)
{
	if (a->time != b->time)
		return a->time < b->time ? -1 : 1;
	if (a->outcome != b->outcome)
		return a->outcome < b->outcome ? -1 : 1;
	return 0;
}

extern void spoints_sort(SPoint *a, size_t n);

/* Sorted list: merge entries with equal (time, outcome) in place; false
 * when a count overflows. */
extern bool spoints_coalesce(SPoint *a, size_t *n);

/* Index of the entry equal to key in sorted, coalesced a[0..n), or -1. */
extern long spoints_find(const SPoint *a, size_t n, const SPoint *key);

/*
 * Check a sorted, coalesced list: times >= 0 and strictly increasing in
 * (time, outcome), outcomes 0..noutcomes, counts >= 1, reserved 0, the
 * total count within int64.  NULL or a message (static storage).
 */
extern const char *spoints_check(const SPoint *a, size_t n, int noutcomes);
/* One entry alone (for unsorted aggregate states). */
extern const char *spoint_check1(const SPoint *p, int noutcomes);

/* ---- Kaplan–Meier ---- */

/*
 * One row per distinct time: at_risk is the number still under observation
 * just before time (so those censored at time count as at risk: events
 * come before censorings at one instant, as lifelines does);
 *   S(t) = prod_{t_i <= t} (1 - d_i / n_i)
 *   V(t) = sum_{t_i <= t} d_i / (n_i (n_i - d_i))   (Greenwood; a term with
 *          d_i = n_i counts 0, as lifelines)
 * and the exponential Greenwood ("log-log") interval of lifelines:
 *   lower = S^exp(-z sqrt(V) / log S), upper = S^exp(+z sqrt(V) / log S)
 * (1 and 1 while S = 1; 0 and 0 once S = 0).
 */
typedef struct KmRow
{
	int64_t		time;
	int64_t		at_risk;
	int64_t		events;
	int64_t		censored;
	double		survival;
	double		var;			/* Greenwood sum V */
	double		lower;
	double		upper;
} KmRow;

typedef struct KmIter
{
	const SPoint *p;
	size_t		n;
	size_t		i;
	int64_t		at_risk;
	double		surv;
	double		var;
} KmIter;

/* Events are every outcome >= 1 (for cumulative incidence: any event). */
extern void km_begin(KmIter *it, const SPoint *p, size_t n);
extern bool km_next(KmIter *it, KmRow *row);
extern void km_loglog(double s, double v, double z, double *lower, double *upper);

/* S(t): the product over event times <= t. */
extern double km_survival_at(const SPoint *p, size_t n, int64_t t);
/* First time with S <= 0.5 in *t; false when S never falls to 0.5. */
extern bool km_median(const SPoint *p, size_t n, int64_t *t);

/* ---- Aalen–Johansen ---- */

/*
 * Cumulative incidence of each outcome k at each distinct time:
 *   F_k(t) = sum_{t_i <= t} S(t_i-) d_ki / n_i
 * with S the all-cause Kaplan–Meier.  Call aj_next until it returns false;
 * each call fills inc[0..noutcomes) (outcome k at k - 1) for one time.
 */
typedef struct AjIter
{
	KmIter		km;
	int			noutcomes;
	double		inc[SURV_MAX_OUTCOMES];
} AjIter;

extern void aj_begin(AjIter *it, const SPoint *p, size_t n, int noutcomes);
extern bool aj_next(AjIter *it, int64_t *time, int64_t *at_risk);

/* ---- text form ---- */

/*
 * survival:              {"points": [[time_us, events, censored], ...], "skipped": 0}
 * cumulative incidence:  {"outcomes": ["lost", "won"],
 *                         "points": [[time_us, censored, n_lost, n_won], ...], "skipped": 0}
 * Times strictly increasing; each row has a nonzero count; outcome names
 * distinct, in byte order, 1..SURV_NAME_MAX bytes.  "skipped" (rows with a
 * NULL duration or event) is optional on input.
 */
typedef void *(*sv_alloc_fn) (size_t size);
typedef void (*sv_free_fn) (void *ptr);

typedef struct SText
{
	SPoint	   *points;			/* from alloc */
	size_t		n;
	int64_t		skipped;
	int			noutcomes;
	char		names[SURV_MAX_OUTCOMES][SURV_NAME_MAX + 1];
} SText;

/* cif: the cumulative-incidence form.  max_points bounds the list. */
extern const char *surv_parse(const char *str, size_t len, bool cif,
							  size_t max_points, SText *t,
							  sv_alloc_fn alloc, sv_free_fn dealloc,
							  char *err, size_t errsz);

/* Escape s as a JSON string (with quotes) into buf (room for
 * 6 * strlen(s) + 3); returns the length. */
extern size_t surv_json_string(const char *s, char *buf);

#endif
