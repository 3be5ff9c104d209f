/*
 * common.c — the PG_MODULE_MAGIC and small helpers every glue file uses.
 */
#include "b2btarget.h"

#include <math.h>

#include "common/shortest_dec.h"
#include "miscadmin.h"
#include "utils/memutils.h"

#include "interrupt_core.h"

#include "json_core.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* The plain-C cores' hooks (interrupt_core.h). */
static void
b2b_core_check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

static void *
b2b_core_palloc(size_t size)
{
	return MemoryContextAllocExtended(CurrentMemoryContext, size,
									  MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
}

static void
b2b_core_pfree(void *p)
{
	pfree(p);
}

void
_PG_init(void)
{
	b2b_core_interrupt_hook = b2b_core_check_interrupts;
	b2b_core_alloc_hook = b2b_core_palloc;
	b2b_core_free_hook = b2b_core_pfree;
}

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

static void
writer_put(void *arg, const char *s, size_t len)
{
	appendBinaryStringInfo((StringInfo) arg, s, (int) len);
}

static void
writer_put_double(void *arg, double v)
{
	b2b_append_float8((StringInfo) arg, v);
}

void
b2b_json_writer(bj_writer *w, StringInfo buf)
{
	w->put = writer_put;
	w->put_double = writer_put_double;
	w->arg = buf;
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
