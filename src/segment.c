/*
 * segment.c — fmgr glue of the segment type.
 *
 * A segment is one byte holding its rank 1..10 in business-value order
 * (champions = 1 … hibernating = 10), passed by value; comparison and
 * hashing reuse the built-in "char" functions.
 */
#include "b2btarget.h"

#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "segments.h"
#include "segments_core.h"

#define SEGMENT_SEND_VERSION 1

PG_FUNCTION_INFO_V1(segment_in);
PG_FUNCTION_INFO_V1(segment_out);
PG_FUNCTION_INFO_V1(segment_recv);
PG_FUNCTION_INFO_V1(segment_send);
PG_FUNCTION_INFO_V1(segment_from_rfm);
PG_FUNCTION_INFO_V1(segment_action);
PG_FUNCTION_INFO_V1(segment_rank);
PG_FUNCTION_INFO_V1(segment_from_rank);
PG_FUNCTION_INFO_V1(segment_r_min);
PG_FUNCTION_INFO_V1(segment_r_max);
PG_FUNCTION_INFO_V1(segment_f_min);
PG_FUNCTION_INFO_V1(segment_f_max);

static int
segment_checked(Datum d)
{
	int			s = (unsigned char) DatumGetChar(d);

	if (s < 1 || s > B2B_NSEGMENTS)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid segment value %d", s)));
	return s;
}

Datum
segment_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	int			s = segment_parse(str, strlen(str));

	if (s == 0)
		b2b_input_error(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type segment: \"%s\"", str),
						 errhint("Valid segments are: %s.", segment_names_list())));
	PG_RETURN_CHAR((char) s);
}

Datum
segment_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(pstrdup(segment_name(segment_checked(PG_GETARG_DATUM(0)))));
}

/* Binary form: a version byte, then the rank byte. */
Datum
segment_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version,
				s;

	if (buf->len - buf->cursor != 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary segment: expected 2 bytes, got %d",
						buf->len - buf->cursor)));
	version = pq_getmsgbyte(buf);
	if (version != SEGMENT_SEND_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary segment: unknown version %d", version)));
	s = pq_getmsgbyte(buf);
	if (s < 1 || s > B2B_NSEGMENTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary segment: rank %d outside 1..%d", s, B2B_NSEGMENTS)));
	PG_RETURN_CHAR((char) s);
}

Datum
segment_send(PG_FUNCTION_ARGS)
{
	int			s = segment_checked(PG_GETARG_DATUM(0));
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SEGMENT_SEND_VERSION);
	pq_sendbyte(&buf, s);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
segment_from_rfm(PG_FUNCTION_ARGS)
{
	int			c = rfm_checked(PG_GETARG_DATUM(0));

	PG_RETURN_CHAR((char) segment_of_rf(RFM_R(c), RFM_F(c)));
}

Datum
segment_action(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(segment_action_text(segment_checked(PG_GETARG_DATUM(0)))));
}

Datum
segment_rank(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(segment_checked(PG_GETARG_DATUM(0)));
}

Datum
segment_from_rank(PG_FUNCTION_ARGS)
{
	int32		s = PG_GETARG_INT32(0);

	if (s < 1 || s > B2B_NSEGMENTS)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("segment rank %d is out of range", s),
				 errhint("Segment ranks run from 1 (champions) to %d (hibernating).", B2B_NSEGMENTS)));
	PG_RETURN_CHAR((char) s);
}

/* The R and F ranges of a segment's rule, for segments(). */
static Datum
rule_part(FunctionCallInfo fcinfo, int which)
{
	int			v[4];

	segment_rule(segment_checked(PG_GETARG_DATUM(0)), &v[0], &v[1], &v[2], &v[3]);
	PG_RETURN_INT32(v[which]);
}

Datum
segment_r_min(PG_FUNCTION_ARGS)
{
	return rule_part(fcinfo, 0);
}

Datum
segment_r_max(PG_FUNCTION_ARGS)
{
	return rule_part(fcinfo, 1);
}

Datum
segment_f_min(PG_FUNCTION_ARGS)
{
	return rule_part(fcinfo, 2);
}

Datum
segment_f_max(PG_FUNCTION_ARGS)
{
	return rule_part(fcinfo, 3);
}
