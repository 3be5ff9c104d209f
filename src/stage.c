/*
 * stage.c — fmgr glue of the journey_stage type.
 *
 * A journey_stage is one byte holding the ordinal 1..7, passed by value.
 * Comparison and hashing reuse the built-in "char" functions (an unsigned
 * byte compare), so only input, output, binary I/O and arithmetic are here.
 */
#include "b2btarget.h"

#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "stage_core.h"

#define STAGE_SEND_VERSION 1

PG_FUNCTION_INFO_V1(journey_stage_in);
PG_FUNCTION_INFO_V1(journey_stage_out);
PG_FUNCTION_INFO_V1(journey_stage_recv);
PG_FUNCTION_INFO_V1(journey_stage_send);
PG_FUNCTION_INFO_V1(journey_stage_from_int4);
PG_FUNCTION_INFO_V1(journey_stage_to_int4);
PG_FUNCTION_INFO_V1(journey_stage_pl_int4);
PG_FUNCTION_INFO_V1(journey_stage_mi_int4);
PG_FUNCTION_INFO_V1(journey_stage_mi);
PG_FUNCTION_INFO_V1(journey_stage_next);
PG_FUNCTION_INFO_V1(journey_stage_previous);
PG_FUNCTION_INFO_V1(journey_stage_phase);
PG_FUNCTION_INFO_V1(journey_stage_larger);
PG_FUNCTION_INFO_V1(journey_stage_smaller);
PG_FUNCTION_INFO_V1(journey_stage_from_hubspot);
PG_FUNCTION_INFO_V1(journey_stage_from_salesforce);

Datum
journey_stage_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	int			s = stage_parse(str, strlen(str));

	if (s == 0)
		b2b_input_error(fcinfo,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type journey_stage: \"%s\"", str),
						 errhint("Valid stages are: %s.", stage_names_list())));
	PG_RETURN_JOURNEY_STAGE(s);
}

/* Every stored value passes through here; a corrupt byte is reported. */
int
b2b_stage_checked(int s)
{
	if (s < 1 || s > B2B_NSTAGES)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid journey_stage value %d", s)));
	return s;
}

Datum
journey_stage_out(PG_FUNCTION_ARGS)
{
	int			s = b2b_stage_checked(PG_GETARG_JOURNEY_STAGE(0));

	PG_RETURN_CSTRING(pstrdup(stage_name(s)));
}

/* Binary form: a version byte, then the ordinal byte. */
Datum
journey_stage_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version;
	int			s;

	if (buf->len - buf->cursor != 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary journey_stage: expected 2 bytes, got %d",
						buf->len - buf->cursor)));
	version = pq_getmsgbyte(buf);
	if (version != STAGE_SEND_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary journey_stage: unknown version %d", version)));
	s = pq_getmsgbyte(buf);
	if (s < 1 || s > B2B_NSTAGES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary journey_stage: ordinal %d out of range", s),
				 errhint("Stage ordinals run from 1 (awareness) to 7 (advocacy).")));
	PG_RETURN_JOURNEY_STAGE(s);
}

Datum
journey_stage_send(PG_FUNCTION_ARGS)
{
	int			s = b2b_stage_checked(PG_GETARG_JOURNEY_STAGE(0));
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, STAGE_SEND_VERSION);
	pq_sendbyte(&buf, s);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
journey_stage_from_int4(PG_FUNCTION_ARGS)
{
	int32		v = PG_GETARG_INT32(0);

	if (v < 1 || v > B2B_NSTAGES)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("integer %d is out of range for type journey_stage", v),
				 errhint("Stage ordinals run from 1 (awareness) to 7 (advocacy).")));
	PG_RETURN_JOURNEY_STAGE(v);
}

Datum
journey_stage_to_int4(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(b2b_stage_checked(PG_GETARG_JOURNEY_STAGE(0)));
}

static Datum
stage_shift(int s, int64 delta, const char *op, int32 arg)
{
	int64		r = (int64) s + delta;

	if (r < 1 || r > B2B_NSTAGES)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("journey_stage out of range: %s %s %d", stage_name(s), op, arg),
				 errhint("Stages run from awareness (1) to advocacy (7); next_stage() and previous_stage() return NULL past either end.")));
	return JourneyStageGetDatum((int) r);
}

Datum
journey_stage_pl_int4(PG_FUNCTION_ARGS)
{
	int32		d = PG_GETARG_INT32(1);

	return stage_shift(b2b_stage_checked(PG_GETARG_JOURNEY_STAGE(0)), d, "+", d);
}

Datum
journey_stage_mi_int4(PG_FUNCTION_ARGS)
{
	int32		d = PG_GETARG_INT32(1);

	return stage_shift(b2b_stage_checked(PG_GETARG_JOURNEY_STAGE(0)), -(int64) d, "-", d);
}

Datum
journey_stage_mi(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(b2b_stage_checked(PG_GETARG_JOURNEY_STAGE(0)) -
					b2b_stage_checked(PG_GETARG_JOURNEY_STAGE(1)));
}

Datum
journey_stage_next(PG_FUNCTION_ARGS)
{
	int			s = b2b_stage_checked(PG_GETARG_JOURNEY_STAGE(0));

	if (s == B2B_NSTAGES)
		PG_RETURN_NULL();
	PG_RETURN_JOURNEY_STAGE(s + 1);
}

Datum
journey_stage_previous(PG_FUNCTION_ARGS)
{
	int			s = b2b_stage_checked(PG_GETARG_JOURNEY_STAGE(0));

	if (s == 1)
		PG_RETURN_NULL();
	PG_RETURN_JOURNEY_STAGE(s - 1);
}

Datum
journey_stage_phase(PG_FUNCTION_ARGS)
{
	int			s = b2b_stage_checked(PG_GETARG_JOURNEY_STAGE(0));

	PG_RETURN_TEXT_P(cstring_to_text(stage_phase_name(s)));
}

Datum
journey_stage_larger(PG_FUNCTION_ARGS)
{
	int			a = PG_GETARG_JOURNEY_STAGE(0);
	int			b = PG_GETARG_JOURNEY_STAGE(1);

	PG_RETURN_JOURNEY_STAGE(a > b ? a : b);
}

Datum
journey_stage_smaller(PG_FUNCTION_ARGS)
{
	int			a = PG_GETARG_JOURNEY_STAGE(0);
	int			b = PG_GETARG_JOURNEY_STAGE(1);

	PG_RETURN_JOURNEY_STAGE(a < b ? a : b);
}

/*
 * CRM mappings.  The second argument (strict) turns "not recognised" into an
 * ERROR; recognised values that carry no stage (HubSpot "other", Salesforce
 * "Closed Lost") are NULL either way.
 */
static Datum
crm_map_result(FunctionCallInfo fcinfo, int s, const char *crm, const char *txt,
			   const char *accepted)
{
	if (s < 0)
	{
		if (PG_GETARG_BOOL(1))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown %s stage \"%s\"", crm, txt),
					 errhint("Accepted values (case, spaces and punctuation ignored): %s.", accepted)));
		PG_RETURN_NULL();
	}
	if (s == 0)
		PG_RETURN_NULL();
	PG_RETURN_JOURNEY_STAGE(s);
}

Datum
journey_stage_from_hubspot(PG_FUNCTION_ARGS)
{
	char	   *txt = text_to_cstring(PG_GETARG_TEXT_PP(0));

	return crm_map_result(fcinfo, stage_from_hubspot_text(txt, strlen(txt)),
						  "HubSpot lifecycle", txt, hubspot_values_list());
}

Datum
journey_stage_from_salesforce(PG_FUNCTION_ARGS)
{
	char	   *txt = text_to_cstring(PG_GETARG_TEXT_PP(0));

	return crm_map_result(fcinfo, stage_from_salesforce_text(txt, strlen(txt)),
						  "Salesforce opportunity", txt, salesforce_values_list());
}
