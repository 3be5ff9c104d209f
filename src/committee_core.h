/*
 * committee_core.h — the math and the text form of the buying-committee
 * summary (roles themselves: role_core.h).  Plain C (no postgres.h): unit-tested and
 * fuzzed alone.
 */
#ifndef B2B_COMMITTEE_CORE_H
#define B2B_COMMITTEE_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json_core.h"

#include "role_core.h"
#include "stage_core.h"

/*
 * The committee summary.  Fixed size (COMMITTEE_SIZE bytes, 300), counts and
 * sums only, so the state does not grow with the number of members.  The
 * first four bytes are the varlena header, owned by the fmgr glue.
 *
 * Members with a NULL role count as "other"; a NULL stage leaves the member
 * out of the stage cells; a NULL p leaves it out of the propensity sums.
 * Counters are int32: at most 2,147,483,647 members of one role and of one
 * stage per committee (an ERROR beyond).
 */
#define COMMITTEE_VERSION 1
#define CM_P_MIN 1e-12			/* p is clamped to [CM_P_MIN, 1 - CM_P_MIN]
								 * before logit in the log-odds pool */

/* One role's cells, together: a member's update touches few cache lines. */
typedef struct cm_role
{
	double		psum;			/* Σ p */
	int32_t		n;				/* members */
	int32_t		pn;				/* members with a p */
} cm_role;

typedef struct cm_state
{
	int32_t		vl_len_;		/* varlena header (glue only) */
	uint8_t		version;
	uint8_t		role_stages[B2B_NROLES];	/* bit s-1: a member of the role
											 * stands in stage s */
	double		pool_w;			/* Σ w over members with p */
	double		pool_wlogit;	/* Σ w·logit(clamp(p)) */
	double		pool_log_none;	/* Σ log1p(−p); −Infinity once some p = 1 */
	cm_role		role[B2B_NROLES];
	double		stage_w[B2B_NSTAGES];	/* Σ w of the members in each stage */
	int32_t		stage_n[B2B_NSTAGES];	/* members per stage */
} cm_state;

#define COMMITTEE_SIZE (offsetof(cm_state, stage_n) + B2B_NSTAGES * sizeof(int32_t))

typedef enum
{
	CM_OK = 0,
	CM_COUNT_OVERFLOW,			/* an int32 counter would overflow */
	CM_SUM_OVERFLOW,			/* a floating sum would become infinite */
	CM_BAD_ROLE,
	CM_BAD_STAGE,
	CM_BAD_P,
	CM_BAD_WEIGHT
} cm_status;

/* Zero the body and set the version (the header is left alone). */
extern void cm_init(cm_state *c);

/*
 * Add one member: role 1..11 (0 = NULL, counted as other), stage 1..7
 * (0 = NULL), has_p/p in [0, 1], weight finite and >= 0.
 */
extern cm_status cm_add(cm_state *c, int role, int stage, bool has_p, double p,
						double w);
/* dst += src.  dst is unchanged when an error is returned. */
extern cm_status cm_merge(cm_state *dst, const cm_state *src);

/* Consistency of a state read from outside: NULL when valid, else why. */
extern const char *cm_check(const cm_state *c);

/* Accessors. */
extern int	cm_bits(unsigned m);	/* set bits in a mask */
extern unsigned cm_role_mask(const cm_state *c);	/* bit r: role r has a member */
extern int64_t cm_members(const cm_state *c);
extern int64_t cm_staged(const cm_state *c);
extern int64_t cm_with_p(const cm_state *c);
extern int	cm_leading(const cm_state *c);	/* 0 when no staged member */
extern int	cm_lagging(const cm_state *c);
extern int	cm_consensus(const cm_state *c);	/* 0 when no staged weight */
extern int	cm_role_furthest(const cm_state *c, int role);	/* 0 = none */
extern int	cm_role_earliest(const cm_state *c, int role);
/* false when undefined (the result is then NULL in SQL) */
extern bool cm_alignment(const cm_state *c, double *out);
extern bool cm_account_p(const cm_state *c, double *out);
extern bool cm_any_p(const cm_state *c, double *out);

/*
 * Text form (JSON), read into *c (fully validated).  Returns false with a
 * message in err on any problem.
 */
extern bool cm_parse(const char *s, size_t len, cm_state *c, char *err,
					 size_t errsz);

/* Write the text form cm_parse reads (committee_out). */
extern void cm_write(const bj_writer *w, const cm_state *c);

#endif
