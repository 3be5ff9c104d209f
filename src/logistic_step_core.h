/*
 * logistic_step_core.h — the logistic_step_state fields (one Newton pass of
 * logistic regression: counts, log-likelihood, gradient, packed Hessian at
 * one model), their checks and their JSON text form.  Plain C (no
 * postgres.h): unit-tested and fuzzed alone.
 */
#ifndef B2B_LOGISTIC_STEP_CORE_H
#define B2B_LOGISTIC_STEP_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logistic_core.h"

#define LS_VERSION 1			/* "version" in the text form */

/*
 * Decoded fields.  nterms = intercept + features; 0 before the first usable
 * row of a pass started from a NULL model (then only rows_skipped counts).
 */
typedef struct ls_fields
{
	int			nterms;
	int64_t		rows_used;
	int64_t		rows_skipped;
	int64_t		positives;
	int64_t		separated;		/* rows fitted at probability 0 or 1 */
	double		loglik;
	double	   *beta;			/* nterms: the model of the pass */
	double	   *gradient;		/* nterms */
	double	   *hessian;		/* lr_tri_size(nterms), packed upper triangle */
} ls_fields;

/* Doubles after the counts: beta, gradient and packed Hessian. */
static inline size_t
ls_doubles(int nterms)
{
	return 2 * (size_t) nterms + lr_tri_size(nterms);
}

/* NULL when valid, else what is wrong (the caller picks the SQLSTATE). */
extern const char *ls_fields_problem(const ls_fields *f);

typedef void *(*ls_alloc_fn) (size_t size);
typedef void (*ls_free_fn) (void *ptr);

/*
 * Parse the JSON text form logistic_step_state_out writes (len bytes, no
 * NUL needed) into *f, checked with ls_fields_problem.  On success the
 * three arrays come from alloc (one block: f->beta; free with
 * ls_fields_free).  Otherwise returns what is wrong (err gets the reader's
 * message with its position) and has freed all it allocated.
 */
extern const char *ls_parse(const char *str, size_t len, ls_fields *f,
							ls_alloc_fn alloc, ls_free_fn dealloc,
							char *err, size_t errsz);
extern void ls_fields_free(ls_fields *f, ls_free_fn dealloc);

#endif
