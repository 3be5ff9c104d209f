/*
 * common.c — the PG_MODULE_MAGIC and small helpers every glue file uses.
 */
#include "b2btarget.h"

#include <math.h>

#include "common/shortest_dec.h"

PG_MODULE_MAGIC;

MemoryContext
b2b_agg_context(FunctionCallInfo fcinfo, const char *fname)
{
	MemoryContext aggcontext;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s called in non-aggregate context", fname),
				 errhint("It is the transition or combine function of an aggregate; call the aggregate instead.")));
	return aggcontext;
}

void
b2b_append_float8(StringInfo buf, double v)
{
	char		tmp[DOUBLE_SHORTEST_DECIMAL_LEN];

	if (isnan(v))
		appendStringInfoString(buf, "NaN");
	else if (isinf(v))
		appendStringInfoString(buf, v > 0 ? "Infinity" : "-Infinity");
	else
	{
		double_to_shortest_decimal_buf(v, tmp);
		appendStringInfoString(buf, tmp);
	}
}

void
b2b_check_version(int found, int expected, const char *typname)
{
	if (found != expected)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("%s value has layout version %d, expected %d",
						typname, found, expected),
				 errhint("The value was written by another version of b2btarget; run ALTER EXTENSION b2btarget UPDATE, or rebuild the value from its source rows.")));
}
