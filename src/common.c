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

/* The formatted text, palloc'd (psprintf for a va_list). */
static char *b2b_vformat(const char *fmt, va_list args) pg_attribute_printf(1, 0);

static char *
b2b_vformat(const char *fmt, va_list args)
{
	StringInfoData msg;

	initStringInfo(&msg);
	for (;;)
	{
		va_list		copy;
		int			needed;

		va_copy(copy, args);
		needed = appendStringInfoVA(&msg, fmt, copy);
		va_end(copy);
		if (needed == 0)
			return msg.data;
		enlargeStringInfo(&msg, needed);
	}
}

void
b2b_corrupt(const char *fmt,...)
{
	va_list		args;
	char	   *msg;

	va_start(args, fmt);
	msg = b2b_vformat(fmt, args);
	va_end(args);
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg_internal("%s", msg)));
	pg_unreachable();
}

void
b2b_bad_binary(const char *typname, const char *fmt,...)
{
	va_list		args;
	char	   *msg;

	va_start(args, fmt);
	msg = b2b_vformat(fmt, args);
	va_end(args);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary %s: %s", typname, msg)));
	pg_unreachable();
}
