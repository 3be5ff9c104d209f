/*
 * funnel.h — the funnel summary type, shared with other aggregates that
 * produce funnels (e.g. funnel_agg(journey)).
 */
#ifndef B2B_FUNNEL_H
#define B2B_FUNNEL_H

#include "b2btarget.h"
#include "stage_core.h"

#define FUNNEL_VERSION 1

typedef struct Funnel
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		nstages;
	uint16		flags;			/* reserved, 0 */
	int64		at[B2B_NSTAGES];	/* entities whose furthest stage is s+1 */
} Funnel;

#define FUNNEL_SIZE sizeof(Funnel)

/* A new all-zero funnel, palloc'd in the current memory context. */
extern Funnel *funnel_new(void);
/* Check a detoasted funnel (size, version, counts); returns it. */
extern Funnel *funnel_validate(Funnel *f);

#define DatumGetFunnel(d) funnel_validate((Funnel *) PG_DETOAST_DATUM(d))
#define PG_GETARG_FUNNEL(n) DatumGetFunnel(PG_GETARG_DATUM(n))
#define PG_RETURN_FUNNEL(x) PG_RETURN_POINTER(x)

#endif
