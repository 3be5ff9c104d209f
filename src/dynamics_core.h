/*
 * dynamics_core.h — stage transitions of journeys as an absorbing Markov
 * chain (SPEC §10).  Plain C (no postgres.h): unit-tested and fuzzed alone.
 *
 * A transition table counts, for each stay of a journey, the move from its
 * stage to the next stay's stage (or to "lost" or "open" for the last stay)
 * and sums the time spent in the stay before the move.  7 stages x 9
 * destinations (the 7 stages, lost, open): bounded, merged by adding.
 */
#ifndef B2B_DYNAMICS_CORE_H
#define B2B_DYNAMICS_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "journey_core.h"
#include "stage_core.h"

#define DYN_NDEST	9			/* 7 stages, lost, open */
#define DYN_LOST	7			/* destination index of lost */
#define DYN_OPEN	8			/* destination index of open (censored) */

/*
 * One cell: moves from a stage to a destination and the microseconds spent
 * in the stays before those moves, a 128-bit sum kept as two words (so a
 * stored value never depends on the compiler's int128 alignment).
 */
typedef struct DynCell
{
	int64_t		moves;
	int64_t		dwell_hi;		/* dwell = dwell_hi * 2^64 + dwell_lo */
	uint64_t	dwell_lo;
} DynCell;

typedef struct DynTable
{
	int64_t		journeys;		/* journeys aggregated */
	DynCell		cell[B2B_NSTAGES][DYN_NDEST];
} DynTable;

/* Results of the table functions. */
#define DYN_OK			0
#define DYN_OVERFLOW	(-1)	/* a count or sum out of range */

/*
 * Count one journey's stays (sorted, coalesced: journey_core.h).  The last
 * stay moves to lost when lost_after >= 0, its stage is before purchase and
 * as_of - last > lost_after; otherwise to open.  Dwell: the next stay's
 * entry minus this stay's entry; for a lost stay its last event minus its
 * entry; for an open stay as_of (or its last event when as_of < 0 is not
 * given: has_as_of false) minus its entry.
 */
extern int	dyn_add_journey(DynTable *t, const JStay *s, size_t n,
							bool has_lost, int64_t lost_after,
							bool has_as_of, int64_t as_of);

/* a += b. */
extern int	dyn_add_table(DynTable *a, const DynTable *b);

/* NULL when t is consistent (counts >= 0, sums >= 0, zero when no moves,
 * no move from a stage to itself), else what is wrong. */
extern const char *dyn_check(const DynTable *t);

/* The dwell sum of a cell as a double (microseconds). */
extern double dyn_cell_dwell(const DynCell *c);

/* ---- the absorbing chain ---- */

/*
 * The chain toward target T (2..7): stages before T are transient; entering
 * T or any later stage absorbs ("reached"), and lost absorbs.  P(i -> d) =
 * moves(i, d) / sum over d != open of moves(i, d).  A stage with no
 * observed moves out is a dead end (its mass reaches nothing); stages from
 * which no absorbing state nor dead end can be reached are "stuck" (their
 * mass never absorbs) and are left out of the linear systems.
 *
 * For each transient i (index i - 1):
 *   reach[i]    h = N b, b_i = sum_{d >= T} P(i, d)
 *   lost[i]     N l, l_i = P(i, lost)
 *   moves_to[i] E[moves | reach T] = (N h)_i / h_i
 *   time_to[i]  E[time | reach T] = (N c)_i / h_i, with
 *               c_i = sum_{j < T} P(i,j) m(i,j) h_j + sum_{d >= T} P(i,d) m(i,d),
 *               m(i,d) the mean dwell (microseconds) of the moves i -> d
 *   moves_all[i] E[moves to absorption] = (N 1)_i (NaN when stuck mass
 *               is reachable: the expectation is infinite)
 *   N[i][j]     fundamental matrix (I - Q)^-1, solved by Gaussian
 *               elimination with partial pivoting
 * Values for a stage with no data (has_data false) are NaN.
 */
typedef struct DynChain
{
	int			target;
	int			ntransient;		/* target - 1 */
	bool		has_data[B2B_NSTAGES];
	bool		stuck[B2B_NSTAGES];
	double		reach[B2B_NSTAGES];
	double		lost[B2B_NSTAGES];
	double		moves_to[B2B_NSTAGES];
	double		time_to[B2B_NSTAGES];
	double		moves_all[B2B_NSTAGES];
	double		N[B2B_NSTAGES][B2B_NSTAGES];
} DynChain;

extern void dyn_chain(const DynTable *t, int target, DynChain *c);

/* ---- text form ---- */

/*
 * JSON written by dyn_format and read by dyn_parse:
 *   {"journeys": 3, "moves": [{"from": "awareness", "to": "consideration",
 *    "moves": 2, "dwell_us": 86400000000}, ...]}
 * one entry per nonzero cell, "to" a stage name, "lost" or "open";
 * dwell_us an integer (up to 2^127 - 1).  The writer's output (buf of at
 * least DYN_TEXT_MAX bytes) reads back to the same table.
 */
#define DYN_TEXT_MAX (64 + B2B_NSTAGES * DYN_NDEST * 128)
extern size_t dyn_format(const DynTable *t, char *buf, size_t bufsz);
extern const char *dyn_parse(const char *str, size_t len, DynTable *t,
							 char *err, size_t errsz);

/* Name of destination d (0..8): a stage, "lost" or "open". */
extern const char *dyn_dest_name(int d);

#endif
