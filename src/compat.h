/*
 * compat.h — PostgreSQL version differences, in one place.
 *
 * Built and tested on 15; written to compile on 13–17.
 */
#ifndef B2B_COMPAT_H
#define B2B_COMPAT_H

#include "postgres.h"

#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

/*
 * Input functions report bad text through b2b_input_error().  On 16+ this is
 * a soft error (ereturn), so pg_input_is_valid() and COPY ... ON_ERROR work;
 * on older servers it is an ordinary ERROR.  Use as:
 *
 *     b2b_input_error(fcinfo, (errcode(...), errmsg(...), errhint(...)));
 *
 * and keep the call in a position where returning (Datum) 0 is correct.
 */
#if PG_VERSION_NUM >= 160000
#include "nodes/miscnodes.h"
#define b2b_input_error(fcinfo, rest) \
	ereturn((fcinfo)->context, (Datum) 0, rest)
#else
#define b2b_input_error(fcinfo, rest) \
	do { ereport(ERROR, rest); return (Datum) 0; } while (0)
#endif

#endif							/* B2B_COMPAT_H */
