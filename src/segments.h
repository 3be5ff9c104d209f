/*
 * segments.h — shared declarations of the segments glue (rfm.c, segment.c,
 * value_tier.c, nps.c, segment_values.c).
 *
 * SegValues is the unbounded aggregate state of rfm_thresholds_agg and
 * value_tier_agg: every input value, per dimension.
 *
 * Quantiles and cumulative-share cut points need all the values, so the
 * state is `internal` (doc/design.md §1) with serialize/deserialize for parallel
 * query.  The values of each dimension are one growing float8 array in the
 * aggregate's memory context: 8 bytes per value.
 */
#ifndef B2B_SEGMENTS_H
#define B2B_SEGMENTS_H

#include "b2btarget.h"

#define SEGVALS_MAX_DIMS 3
#define SEGVALS_SERIAL_VERSION 1

typedef struct SegValues
{
	int			ndims;
	bool		nonneg;			/* values must be >= 0 (value tiers) */
	int64		n[SEGVALS_MAX_DIMS];
	int64		cap[SEGVALS_MAX_DIMS];	/* 0 with v set: borrowed (read-only)
										 * from a serialized state */
	double	   *v[SEGVALS_MAX_DIMS];
	MemoryContext ctx;
} SegValues;

/* A new empty state in ctx. */
extern SegValues *segvals_new(MemoryContext ctx, int ndims, bool nonneg);
/*
 * Check one input value (finite; >= 0 when nonneg), else ERROR 22023 naming
 * the aggregate and the argument, and append it to dimension d.
 */
extern void segvals_add(SegValues *s, int d, double v, const char *aggname,
						const char *argname);
/* Append every value of b to a. */
extern void segvals_merge(SegValues *a, const SegValues *b);
/* bytea: version, ndims, counts, then the values; ERROR 54000 over 1 GB. */
extern bytea *segvals_serialize(const SegValues *s);
/*
 * Read a serialized state into a new state in ctx; validates every byte.
 * The values are read in place from b when aligned (the state then lives no
 * longer than b: it is only ever the second argument of a combine step).
 */
extern SegValues *segvals_deserialize(bytea *b, MemoryContext ctx, int ndims,
									  bool nonneg);

/* The combine, serialize and deserialize functions of such an aggregate. */
extern Datum segvals_combine_fn(FunctionCallInfo fcinfo, const char *fname,
								int ndims, bool nonneg);
extern Datum segvals_serialize_fn(FunctionCallInfo fcinfo, const char *fname);
extern Datum segvals_deserialize_fn(FunctionCallInfo fcinfo, const char *fname,
									int ndims, bool nonneg);

/* rfm: an int16 R*100 + F*10 + M; the code of a stored value, checked. */
extern int	rfm_checked(Datum d);

#endif
