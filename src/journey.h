/*
 * journey.h — the journey summary type, shared by the journey glue files.
 */
#ifndef B2B_JOURNEY_H
#define B2B_JOURNEY_H

#include "b2btarget.h"

#include "datatype/timestamp.h"
#include "utils/memutils.h"

#include "journey_core.h"

#define JOURNEY_VERSION 1

/* flags */
#define JOURNEY_UNSORTED 0x01	/* only inside an aggregate's own state */
#define JOURNEY_POINTS	0x02	/* entries are JPoints (journey_agg's state) */

/*
 * While journey_agg aggregates, each distinct (ts, stage) is kept as a
 * 16-byte JPoint (journey_core.h; repeats at one instant counted); the
 * final function turns them into stays.
 */
typedef struct Journey
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		flags;
	uint16		reserved;		/* 0 */
	int32		n;				/* entries in use */
	int32		reserved2;		/* 0 */
	int64		skipped;		/* input rows with a NULL ts or stage */
	JStay		stays[FLEXIBLE_ARRAY_MEMBER];	/* capacity fills VARSIZE */
} Journey;

#define JOURNEY_HDRSZ offsetof(Journey, stays)
#define JOURNEY_ENTSZ(j) (((j)->flags & JOURNEY_POINTS) ? sizeof(JPoint) : sizeof(JStay))
#define JOURNEY_CAPACITY(j) ((int) ((VARSIZE(j) - JOURNEY_HDRSZ) / JOURNEY_ENTSZ(j)))
#define JOURNEY_POINTS_OF(j) ((JPoint *) (j)->stays)

/* Most entries a journey can hold (its size must stay under 1 GB). */
#define JOURNEY_MAX_ENTRIES ((int) ((MaxAllocSize - JOURNEY_HDRSZ) / sizeof(JStay)))

/* journey.c: the type */
extern Journey *journey_validate(Journey *j);
extern Journey *journey_alloc_ex(int cap, int flags);
extern Journey *journey_alloc(int cap);
extern Journey *journey_reserve(Journey *j, int extra);
extern void journey_copy_as_stays(const Journey *j, JStay *dst);
extern Journey *journey_normalized_copy(const Journey *j, bool coalesce);
extern const JStay *journey_stays_arg(FunctionCallInfo fcinfo, int argno, int *n);
extern void journey_corrupt(const char *what) pg_attribute_noreturn();

/* journey_accessors.c: shared with conversion_time.c */
extern Interval *journey_interval_from_usecs(int64 us);
extern void journey_check_stage_order(int from, int to, const char *fname);

#define PG_GETARG_JOURNEY(n) journey_validate((Journey *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

#endif
