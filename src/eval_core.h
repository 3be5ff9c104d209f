/*
 * eval_core.h — targeting evaluation math: sorting scores, exact AUC, tie
 * groups and lift buckets, log loss and Brier terms.  Plain C.
 */
#ifndef B2B_EVAL_CORE_H
#define B2B_EVAL_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json_core.h"

/* Probabilities are clamped to [EV_LOGLOSS_EPS, 1 - EV_LOGLOSS_EPS] in log loss. */
#define EV_LOGLOSS_EPS 1e-15

/*
 * Sort n finite doubles ascending (LSD radix sort on their order-preserving
 * 64-bit keys, 11 bits a pass, passes whose digit is the same in every key
 * skipped).  -0 is sorted as 0.  tmp must hold n doubles.
 */
extern void ev_sort(double *a, size_t n, double *tmp);

/*
 * Exact area under the ROC curve from the ascending-sorted scores of the
 * positives and of the negatives: the share of (positive, negative) pairs
 * ranked correctly, ties counted half.  NaN when either class is empty.
 */
extern double ev_auc_sorted(const double *pos, size_t np,
							const double *neg, size_t nn);

/*
 * Tie groups, in descending score order, of the two ascending-sorted
 * arrays: score[i], rows[i], positives[i].  The output arrays must hold
 * np + nn entries; returns the number of groups.
 */
extern size_t ev_groups(const double *pos, size_t np,
						const double *neg, size_t nn,
						double *score, int64_t *rows, int64_t *positives);

/* AUC from descending tie groups (the same value ev_auc_sorted gives). */
extern double ev_auc_groups(const int64_t *rows, const int64_t *positives,
							size_t ngroups);

/*
 * Lift buckets by score rank: rows are ranked by descending score; a tie
 * group goes whole into the bucket of its first row, bucket
 * floor(rank * buckets / n) + 1 for the 0-based rank.  Fills per-bucket
 * rows, positives and score range (min_score/max_score are NaN for empty
 * buckets).
 */
extern void ev_lift_buckets(const double *score, const int64_t *rows,
							const int64_t *positives, size_t ngroups,
							int buckets, int64_t *brows, int64_t *bpos,
							double *bmin, double *bmax);

/* ---------------------------------------------------------------------
 * The lift type's tie groups and their JSON text form.
 * --------------------------------------------------------------------- */

#define EV_LIFT_VERSION 1		/* "version" in the text form */

/* Decoded tie groups, in descending score order. */
typedef struct ev_lift
{
	size_t		ngroups;
	double	   *score;			/* ngroups each */
	int64_t    *rows;
	int64_t    *positives;
} ev_lift;

/*
 * Check tie groups; returns NULL when valid, else what is wrong (the caller
 * chooses the SQLSTATE: bad text, bad binary, corrupt stored value).
 */
extern const char *ev_lift_problem(const double *score, const int64_t *rows,
								   const int64_t *positives, size_t ngroups);

/* Allocator of ev_lift_parse: palloc/pfree in the server, malloc/free alone. */
typedef void *(*ev_alloc_fn) (size_t size);
typedef void (*ev_free_fn) (void *ptr);

/*
 * Parse the JSON text form lift_out writes (len bytes of str, no NUL
 * needed) into *l and check it with ev_lift_problem.  Each array is read
 * into a buffer of 16 slots that doubles when full; a full buffer of
 * max_groups or more slots with one more element fails ("more than
 * max_groups scores"), so a caller with a hard limit must still check
 * l->ngroups against it.  Returns NULL on success: the three arrays then
 * come from alloc, and ev_lift_free (only for a parsed lift) gives them
 * back.  Otherwise returns what is wrong (a constant string or err, which
 * gets the reader's message with its character position), leaves *l all
 * zero and has freed all it allocated.
 */
extern const char *ev_lift_parse(const char *str, size_t len, int max_groups,
								 ev_lift *l, ev_alloc_fn alloc,
								 ev_free_fn dealloc, char *err, size_t errsz);

/* Write the text form ev_lift_parse reads (lift_out). */
extern void ev_lift_write(const bj_writer *w, const double *score,
						  const int64_t *rows, const int64_t *positives,
						  size_t n);
extern void ev_lift_free(ev_lift *l, ev_free_fn dealloc);

/* One row's log loss -(y log p + (1 - y) log(1 - p)), p clamped. */
extern double ev_log_loss_term(double p, int y);

#endif
