/*
 * journey.h — the journey summary type, shared by the journey glue files.
 */
#ifndef B2B_JOURNEY_H
#define B2B_JOURNEY_H

#include "b2btarget.h"
#include "journey_core.h"

#define JOURNEY_VERSION 1

/* flags */
#define JOURNEY_UNSORTED 0x01	/* only inside an aggregate's own state */

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
#define JOURNEY_CAPACITY(j) ((int) ((VARSIZE(j) - JOURNEY_HDRSZ) / sizeof(JStay)))

extern Journey *journey_validate(Journey *j);

#define PG_GETARG_JOURNEY(n) journey_validate((Journey *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

#endif
