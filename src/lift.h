/*
 * lift.h — the lift type in C (lift_agg's result: tie groups of scores in
 * descending order with their rows and positives).  Glue in eval.c.
 */
#ifndef B2B_LIFT_H
#define B2B_LIFT_H

#include "b2btarget.h"
#include "eval_core.h"

#define LIFT_VERSION EV_LIFT_VERSION

typedef struct Lift
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;			/* 0 */
	uint16		reserved;		/* 0 */
	int32		ngroups;
	int32		reserved2;		/* 0 */
	double		data[FLEXIBLE_ARRAY_MEMBER];	/* score[g]; then int64
												 * rows[g], positives[g] */
} Lift;

#define LIFT_HDR offsetof(Lift, data)
#define LIFT_SCORE(l) ((l)->data)
#define LIFT_ROWS(l) ((int64 *) ((l)->data + (l)->ngroups))
#define LIFT_POS(l) ((int64 *) ((l)->data + 2 * (Size) (l)->ngroups))
#define LIFT_MAX_GROUPS ((int) ((MaxAllocSize - LIFT_HDR) / 24))

/* Check a detoasted value (size, version, every group). */
extern Lift *lift_validate(Lift *l);

#define DatumGetLift(d) lift_validate((Lift *) PG_DETOAST_DATUM(d))
#define PG_GETARG_LIFT(n) DatumGetLift(PG_GETARG_DATUM(n))
#define PG_RETURN_LIFT(l) PG_RETURN_POINTER(l)

#endif
