/*
 * model_core.h — the propensity_model fields, their checks and their JSON
 * text form, in plain C (no postgres.h): unit-tested and fuzzed alone.
 *
 * The fmgr glue (model.c) builds and validates the stored varlena from a
 * pm_fields; the parser here reads the text form logistic_fit writes.
 */
#ifndef B2B_MODEL_CORE_H
#define B2B_MODEL_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json_core.h"

#include "logistic_core.h"

#define PM_VERSION 1			/* "version" in the text form */
#define PM_MAX_TERMS (LR_MAX_FEATURES + 1)	/* intercept + features */
#define PM_MAX_NAME 63			/* bytes in a term name */

/* Decoded fields, for building, validating and parsing models. */
typedef struct pm_fields
{
	int			nterms;
	int			iterations;
	bool		converged;
	int64_t		rows_used;
	int64_t		rows_skipped;
	int64_t		positives;
	double		loglik;
	double		l2;
	double	   *coef;			/* nterms each */
	double	   *se;
	char	  **names;			/* NUL-terminated */
} pm_fields;

/*
 * Check decoded fields; returns NULL when valid, else what is wrong (the
 * caller chooses the SQLSTATE: bad text, bad binary, corrupt stored value).
 */
extern const char *pm_fields_problem(const pm_fields *f);

/* Allocator of pm_parse: palloc/pfree in the server, malloc/free alone. */
typedef void *(*pm_alloc_fn) (size_t size);
typedef void (*pm_free_fn) (void *ptr);

/*
 * Parse the JSON text form (len bytes of str, no NUL needed) into *f and
 * check it with pm_fields_problem.  Returns NULL on success: f->coef,
 * f->se, f->names and each name then come from alloc, and pm_fields_free
 * gives them back.  Otherwise returns what is wrong (a constant string or
 * err, which gets the reader's message with its character position) and
 * has freed all it allocated.
 */
extern const char *pm_parse(const char *str, size_t len, pm_fields *f,
							pm_alloc_fn alloc, pm_free_fn dealloc,
							char *err, size_t errsz);

/* Write the text form pm_parse reads (propensity_model_out). */
extern void pm_write(const bj_writer *w, const pm_fields *f);
extern void pm_fields_free(pm_fields *f, pm_free_fn dealloc);

#endif
