/*
 * segments_core.h — RFM cells, named segments, exact quantile selection,
 * value-tier cut points and the text readers of rfm_thresholds and
 * value_tiers.  Plain C (no postgres.h): unit-tested and fuzzed alone.
 */
#ifndef B2B_SEGMENTS_CORE_H
#define B2B_SEGMENTS_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json_core.h"

/* ---- rfm: three scores 1..5 ---- */

/*
 * Stored as the integer R*100 + F*10 + M (111 .. 555) in an int16, so the
 * built-in int2 comparison orders cells by R, then F, then M.
 */
#define RFM_MIN_CODE 111
#define RFM_MAX_CODE 555

static inline int
rfm_code(int r, int f, int m)
{
	return r * 100 + f * 10 + m;
}
#define RFM_R(c) ((c) / 100)
#define RFM_F(c) (((c) / 10) % 10)
#define RFM_M(c) ((c) % 10)

/* True when c encodes a cell whose three scores are all 1..5. */
extern bool rfm_code_valid(int c);

/*
 * Parse "5-4-3" or "543" (surrounding white space allowed).  Returns
 * RFM_PARSE_OK and sets *code; RFM_PARSE_SYNTAX when the text is not three
 * digits in either form; RFM_PARSE_RANGE when a digit is outside 1..5.
 */
enum
{
	RFM_PARSE_OK = 0,
	RFM_PARSE_SYNTAX,
	RFM_PARSE_RANGE
};
extern int	rfm_parse(const char *s, size_t len, int *code);
/* "5-4-3" into buf (at least 6 bytes). */
extern void rfm_format(int code, char *buf);

/* ---- rfm_thresholds: the 20/40/60/80th percentiles of each dimension ---- */

#define RFM_NDIMS 3
#define RFM_NCUTS 4

typedef struct rfm_thresholds_fields
{
	int64_t		count[RFM_NDIMS];	/* values the cut points come from */
	double		cut[RFM_NDIMS][RFM_NCUTS];	/* 20/40/60/80th percentiles */
} rfm_thresholds_fields;

/* "recency_days", "frequency", "monetary": the keys and dimension names. */
extern const char *const rfm_dim_names[RFM_NDIMS];

/* NULL when the thresholds are valid, else what is wrong. */
extern const char *rfm_thresholds_problem(const rfm_thresholds_fields *t);

/*
 * Parse the JSON text form rfm_thresholds_out writes (len bytes of str, no
 * NUL needed) into *t (zeroed first) and check it with
 * rfm_thresholds_problem.  Returns NULL on success, else err, which gets
 * the reader's message with its character position.
 */
extern const char *rfm_thresholds_parse(const char *str, size_t len,
										rfm_thresholds_fields *t,
										char *err, size_t errsz);

/* Write the text form rfm_thresholds_parse reads (rfm_thresholds_out). */
extern void rfm_thresholds_write(const bj_writer *w, const rfm_thresholds_fields *t);

/* ---- segment: 1 = champions … 10 = hibernating ---- */

#define B2B_NSEGMENTS 10

/* Name of segment s (1..10), or NULL. */
extern const char *segment_name(int s);
/* One-line recommended treatment of segment s, or NULL. */
extern const char *segment_action_text(int s);
/* R and F ranges of segment s (1..10); false when s is not a segment. */
extern bool segment_rule(int s, int *rmin, int *rmax, int *fmin, int *fmax);
/* Segment of the R and F scores (1..5 each); 0 when out of range. */
extern int	segment_of_rf(int r, int f);
/*
 * Parse a segment name: case-insensitive, surrounding white space ignored,
 * spaces and hyphens taken as underscores, apostrophes dropped ("Can't lose
 * them" = cant_lose_them).  Returns 1..10, or 0.
 */
extern int	segment_parse(const char *s, size_t len);
/* Comma-separated list of the names, for HINTs. */
extern const char *segment_names_list(void);

/* ---- exact quantiles ---- */

/*
 * The q-quantiles of x[0..n) exactly as PostgreSQL's percentile_cont gives
 * them (linear interpolation between the order statistics at floor and ceil
 * of q*(n-1)), for nq sorted probabilities q[] in [0, 1].  Uses selection
 * (three-way partitioning around sampled pivots) restricted to the ranks it
 * needs, not a full sort; permutes x.  n >= 1, nq <= 16.  Values must not be
 * NaN.
 */
extern void quantiles_select(double *x, size_t n, const double *q, int nq, double *out);

/* ---- value tiers ---- */

/*
 * Cut point of a cumulative-share tier: the smallest value v of x[0..n)
 * such that the sum of the values strictly greater than v is below
 * share * total (i.e. customers of value v still bring part of the first
 * `share` of the value).  Requires total > 0, values >= 0, 0 < share <= 1.
 * Permutes x.  Expected linear time (weighted selection).
 */
extern double value_tier_cut(double *x, size_t n, double total, double share);

/* ---- value_tiers: two cut points, size and value of tiers A, B, C ---- */

#define VALUE_TIERS_N 3

typedef struct value_tiers_fields
{
	double		a_cut;			/* smallest value in tier A */
	double		b_cut;			/* smallest value in tier B (<= a_cut) */
	int64_t		customers[VALUE_TIERS_N];	/* customers in A, B, C */
	double		value[VALUE_TIERS_N];	/* their total value */
} value_tiers_fields;

/* "A", "B", "C". */
extern const char *const value_tier_names[VALUE_TIERS_N];

/* NULL when t is consistent, else what is wrong. */
extern const char *value_tiers_problem(const value_tiers_fields *t);

/*
 * Parse the JSON text form value_tiers_out writes (len bytes of str, no NUL
 * needed) into *t (zeroed first) and check it with value_tiers_problem.
 * Returns NULL on success, else err, which gets the reader's message with
 * its character position.
 */
extern const char *value_tiers_parse(const char *str, size_t len,
									 value_tiers_fields *t,
									 char *err, size_t errsz);

/* Write the text form value_tiers_parse reads (value_tiers_out). */
extern void value_tiers_write(const bj_writer *w, const value_tiers_fields *t);

#endif
