/*
 * histories_core.h — the repeat_histories value in plain C (no postgres.h):
 * the distinct customer histories with their counts that bgnbd_fit and
 * gamma_gamma_fit maximise the likelihood over, as a sorted array, so that
 * its text and binary forms are canonical and merging two is exact and
 * independent of the order of the rows.  Glue in histories.c.
 *
 * A history is (frequency, recency, T) for BG/NBD, (frequency, monetary)
 * for Gamma-Gamma (kinds REPEAT_BGNBD and REPEAT_GG of bgnbd_core.h).  The
 * canonical order is by the values, first to last; no value is -0.
 *
 * An aggregate state keeps a sorted prefix and an unsorted tail of entries
 * still to merge (rh_normalize sorts the tail, adds up equal histories and
 * merges it into the prefix); every stored value has no tail.
 */
#ifndef B2B_HISTORIES_CORE_H
#define B2B_HISTORIES_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json_core.h"

#define RH_VERSION 1

/*
 * At most this many distinct histories: a stored value (24 bytes of header
 * and 32 per history) stays under PostgreSQL's 1 GB limit.
 */
#define RH_MAX_ENTRIES ((size_t) 33000000)

/* One distinct history: v[2] is 0 for Gamma-Gamma. */
typedef struct rh_entry
{
	double		v[3];
	int64_t		n;				/* customers with this history, >= 1 */
} rh_entry;

/* A value: nsorted entries in canonical order, then npending in any order. */
typedef struct rh_set
{
	int			kind;			/* REPEAT_BGNBD or REPEAT_GG */
	int64_t		skipped;		/* rows the aggregate skipped */
	size_t		nsorted;
	size_t		npending;
	rh_entry   *e;
} rh_set;

/* Values per history of a kind: 3 or 2 (0 for an unknown kind). */
extern int	rh_nvalues(int kind);
/* "bgnbd" or "gamma_gamma" (the text form's kind), NULL if unknown. */
extern const char *rh_kind_name(int kind);

/* The canonical order (qsort comparator on rh_entry). */
extern int	rh_cmp(const void *a, const void *b);

/*
 * NULL when e is a history of the kind the fits accept (the checks of
 * bgnbd_check_obs / gg_check_obs, frequency > 0 for Gamma-Gamma, no -0,
 * count >= 1), else what is wrong.
 */
extern const char *rh_entry_problem(int kind, const rh_entry *e);

/*
 * NULL when s is consistent: known kind, skipped >= 0, every entry valid,
 * the sorted prefix strictly ascending, the total count (customers) within
 * int64.  O(n).
 */
extern const char *rh_problem(const rh_set *s);

/* The customers: the sum of the counts; false when it overflows int64. */
extern bool rh_total(const rh_entry *e, size_t n, int64_t *out);

/*
 * Sort the tail e[nsorted .. nsorted + npending), add up equal histories
 * and merge it into the prefix, in place.  Returns the new number of
 * (sorted) entries, or (size_t) -1 when memory runs out or a count
 * overflows int64 (*overflow tells which).  Interruptible.
 */
extern size_t rh_normalize(rh_entry *e, size_t nsorted, size_t npending, bool *overflow);

/*
 * Parse the JSON text form (len bytes, no NUL needed) into *out, entries in
 * memory from b2b_core_alloc (free with b2b_core_free(out->e); NULL when
 * there are none).  Returns NULL on success, else what is wrong (a constant
 * or err, errsz bytes, BJ_ERR_SIZE is enough); *out then owns nothing.
 * The histories must be in canonical order, each once.
 */
extern const char *rh_parse(const char *str, size_t len, rh_set *out, char *err, size_t errsz);

/* Write the text form (s must have no tail). */
extern void rh_write(const bj_writer *w, const rh_set *s);

#endif
