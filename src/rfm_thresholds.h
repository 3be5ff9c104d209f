/*
 * rfm_thresholds.h — the rfm_thresholds type in C (rfm_thresholds_agg's
 * result: per dimension a count and four cut points).  Glue in rfm.c.
 */
#ifndef B2B_RFM_THRESHOLDS_H
#define B2B_RFM_THRESHOLDS_H

#include "b2btarget.h"
#include "segments_core.h"

#define RFM_THRESHOLDS_VERSION 1

typedef struct RfmThresholds
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		ndims;
	uint16		flags;			/* reserved, 0 */
	int32		pad;			/* 0 */
	rfm_thresholds_fields f;	/* counts and cut points (segments_core.h) */
} RfmThresholds;

#define RFM_THRESHOLDS_SIZE sizeof(RfmThresholds)

/* The stored layout: header, version, ndims, flags, pad, 3 int64, 12 doubles. */
StaticAssertDecl(sizeof(RfmThresholds) == 136, "rfm_thresholds layout changed");

/* Check a detoasted value (size, version, every field). */
extern RfmThresholds *rfm_thresholds_validate(RfmThresholds *t);

#define DatumGetRfmThresholds(d) \
	rfm_thresholds_validate((RfmThresholds *) PG_DETOAST_DATUM(d))
#define PG_GETARG_RFM_THRESHOLDS(n) DatumGetRfmThresholds(PG_GETARG_DATUM(n))
#define PG_RETURN_RFM_THRESHOLDS(t) PG_RETURN_POINTER(t)

#endif
