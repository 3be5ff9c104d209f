/*
 * ordinal.c — text and binary I/O of the ordinal types, table-driven
 * (ordinal.h).  The tables name each type's plain-C parser and names.
 */
#include "ordinal.h"

#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "committee_core.h"
#include "segments_core.h"
#include "stage_core.h"

const b2b_ordinal b2b_journey_stage_type = {
	"journey_stage", 1, B2B_NSTAGES, NULL,
	stage_parse, stage_name, stage_names_list,
	"Valid stages are: %s.",
	"Stage ordinals run from 1 (awareness) to 7 (advocacy)."
};

const b2b_ordinal b2b_buying_role_type = {
	"buying_role", 1, B2B_NROLES, NULL,
	role_parse, role_name, role_names_list,
	"Valid roles are: %s; CRM names such as 'Budget Holder', 'Legal & Compliance', 'Technical Buyer' or 'Business User' are accepted too (see buying_role_aliases()).",
	"Role ordinals run from 1 (decision_maker) to 11 (other)."
};

const b2b_ordinal b2b_segment_type = {
	"segment", 1, B2B_NSEGMENTS, NULL,
	segment_parse, segment_name, segment_names_list,
	"Valid segments are: %s.",
	"Segment ranks run from 1 (champions) to 10 (hibernating)."
};

const b2b_ordinal b2b_rfm_type = {
	"rfm", 2, 555, rfm_code_valid,
	NULL, NULL, NULL, NULL,
	"An rfm travels as the int2 R*100 + F*10 + M, each score 1 to 5 (543 is 5-4-3)."
};

static bool
ordinal_valid(const b2b_ordinal *t, int v)
{
	return t->valid ? t->valid(v) : (v >= 1 && v <= t->max);
}

static int
ordinal_value(const b2b_ordinal *t, Datum d)
{
	return t->typlen == 1 ? (int) (unsigned char) DatumGetChar(d)
		: (int) DatumGetInt16(d);
}

Datum
b2b_ordinal_datum(const b2b_ordinal *t, int v)
{
	return t->typlen == 1 ? CharGetDatum((char) v) : Int16GetDatum((int16) v);
}

int
b2b_ordinal_checked(const b2b_ordinal *t, Datum d)
{
	int			v = ordinal_value(t, d);

	if (!ordinal_valid(t, v))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid %s value %d", t->typname, v)));
	return v;
}

Datum
b2b_ordinal_in(FunctionCallInfo fcinfo, const b2b_ordinal *t)
{
	char	   *str = PG_GETARG_CSTRING(0);
	int			v = t->parse(str, strlen(str));

	if (v == 0)
		b2b_input_error(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type %s: \"%s\"", t->typname, str),
						 errhint(t->in_hint, t->names_list())));
	return b2b_ordinal_datum(t, v);
}

Datum
b2b_ordinal_out(FunctionCallInfo fcinfo, const b2b_ordinal *t)
{
	PG_RETURN_CSTRING(pstrdup(t->name(b2b_ordinal_checked(t, PG_GETARG_DATUM(0)))));
}

/* Binary form: int2's, the ordinal (rfm: its code) big-endian. */
Datum
b2b_ordinal_recv(FunctionCallInfo fcinfo, const b2b_ordinal *t)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			v;

	if (buf->len - buf->cursor != 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary %s: expected 2 bytes (an int2), got %d",
						t->typname, buf->len - buf->cursor)));
	v = (int16) pq_getmsgint(buf, 2);
	if (!ordinal_valid(t, v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary %s: value %d out of range", t->typname, v),
				 errhint("%s", t->range_hint)));
	return b2b_ordinal_datum(t, v);
}

Datum
b2b_ordinal_send(FunctionCallInfo fcinfo, const b2b_ordinal *t)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint16(&buf, (uint16) b2b_ordinal_checked(t, PG_GETARG_DATUM(0)));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
