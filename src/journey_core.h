/*
 * journey_core.h — the journey run list and ClickHouse's windowFunnel level
 * search.  Plain C (no postgres.h): unit-tested alone.
 *
 * A journey is a list of entries sorted by (entered, stage, last).  An entry
 * is a run of events of one stage: a "point" (entered == last: every event
 * at one instant) or a "range" (entered < last, events >= 2; the instants
 * of its interior events are not kept).  Events with equal timestamps and
 * different stages are ordered by stage, lowest first, so the order never
 * depends on the order of the input rows.
 */
#ifndef B2B_JOURNEY_CORE_H
#define B2B_JOURNEY_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct JStay
{
	int64_t		entered;		/* first event, microseconds since 2000 */
	int64_t		last;			/* last event */
	int64_t		events;			/* events in the run (>= 1) */
	int32_t		stage;			/* 1..7 */
	int32_t		reserved;		/* 0 */
} JStay;

/*
 * journey_agg's running state keeps one point per distinct (ts, stage),
 * sorted by (ts, stage) while it can be kept so cheaply.
 */
typedef struct JPoint
{
	int64_t		ts;
	int32_t		stage;
	int32_t		count;			/* events at this instant, >= 1 */
} JPoint;

static inline int
jpoint_cmp(const JPoint *a, const JPoint *b)
{
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if (a->stage != b->stage)
		return a->stage < b->stage ? -1 : 1;
	return 0;
}

/*
 * Merge sorted b into sorted a in place: a has room for na + nb entries.
 * Equal points stay side by side (the final function merges them).
 */
extern void jpoints_merge_into(JPoint *a, size_t na, const JPoint *b, size_t nb);

/* Results of jstays_normalize(). */
#define JN_OK			0
#define JN_AMBIGUOUS	(-1)	/* another stage falls inside a range */
#define JN_OVERFLOW		(-2)	/* event count overflows int64 */

/* Order by (entered, stage, last). */
static inline int
jstay_cmp(const JStay *a, const JStay *b)
{
	if (a->entered != b->entered)
		return a->entered < b->entered ? -1 : 1;
	if (a->stage != b->stage)
		return a->stage < b->stage ? -1 : 1;
	if (a->last != b->last)
		return a->last < b->last ? -1 : 1;
	return 0;
}

extern void jstays_sort(JStay *a, size_t n);

/*
 * Normalise a sorted list in place: entries of one stage that overlap (or
 * are the same instant) are merged; with coalesce, every run of adjacent
 * entries of one stage becomes one entry.  *n is updated.  Returns JN_OK,
 * or JN_AMBIGUOUS when an entry of another stage lies inside a range (the
 * order of the events is then not determined), or JN_OVERFLOW.
 */
extern int	jstays_normalize(JStay *a, size_t *n, bool coalesce);

/*
 * Check that a list is normalised: each entry valid and strictly after the
 * previous one ((prev.last, prev.stage) < (entered, stage)).  Returns NULL
 * or a message (static storage).
 */
extern const char *jstays_check(const JStay *a, size_t n);

/*
 * True when a list is normalised and coalesced (jstays_check passes, no two
 * adjacent entries share a stage) and every instant lies in [lo, hi): the
 * accessors' one-pass check of a stored journey.
 */
extern bool jstays_plain(const JStay *a, size_t n, int64_t lo, int64_t hi);

/* Index of the first stay at or past stage, or -1. */
extern int	jstays_first_reached(const JStay *s, int n, int stage);

/*
 * Time from first reaching stage from to first reaching stage to, in
 * microseconds: false when either is never reached.
 */
extern bool jstays_time_to(const JStay *s, int n, int from, int to, int64_t *us);

/* ---- windowFunnel ---- */

#define WF_STRICT_DEDUPLICATION	0x01
#define WF_STRICT_ORDER			0x02
#define WF_STRICT_INCREASE		0x04

/*
 * window_funnel keeps its events as JPoints (count is 1), sorted with
 * jpoints_sort and merged with jpoints_merge_into.
 */
extern void jpoints_sort(JPoint *a, size_t n);

/*
 * The furthest level (0..nlevels) of the chain stage 1 -> 2 -> ... reached
 * with each step within window of the chain's first event, over events
 * sorted by (ts, stage).  ClickHouse windowFunnel's algorithm.
 */
extern int	window_funnel_level(const JPoint *ev, size_t n, int64_t window,
								int modes, int nlevels);

/* Parse one mode name (case-insensitive, surrounding spaces ignored). */
extern int	window_funnel_mode_parse(const char *s, size_t len);

/* ---- text input ---- */

/*
 * Timestamp reader of journey_parse: len bytes of s (a JSON string's
 * value) to microseconds since 2000 in *out; nonzero when accepted.  The
 * server passes one that takes only what journey output writes.
 */
typedef int (*jr_parse_ts_fn) (const char *s, size_t len, int64_t *out, void *arg);

/* Allocator of journey_parse: palloc/pfree in the server, malloc/free alone. */
typedef void *(*jr_alloc_fn) (size_t size);
typedef void (*jr_free_fn) (void *ptr);

/* A journey read from text: stays (from alloc), their count, skipped. */
typedef struct JText
{
	JStay	   *stays;
	size_t		n;
	int64_t		skipped;
} JText;

/*
 * Parse the JSON text form journey_out writes (len bytes of str, no NUL
 * needed) into *t: {"stays": [{"stage", "entered", "last", "events"}, ...],
 * "skipped"} with "skipped" optional, timestamps read by parse_ts, and the
 * stays checked with jstays_check.  More than max_stays stays fail.
 * Returns NULL on success: t->stays then comes from alloc (give it back
 * with dealloc).  Otherwise returns what is wrong (err, which gets the
 * reader's message with its character position, or a constant string),
 * leaves *t all zero and has freed all it allocated.
 */
extern const char *journey_parse(const char *str, size_t len, size_t max_stays,
								 jr_parse_ts_fn parse_ts, void *ts_arg,
								 JText *t, jr_alloc_fn alloc, jr_free_fn dealloc,
								 char *err, size_t errsz);

#endif
