/*
 * stage.c — fmgr glue of the journey_stage type.
 *
 * A journey_stage is one byte holding the ordinal 1..7, passed by value.
 * Comparison and hashing reuse the built-in "char" functions (an unsigned
 * byte compare); text and binary I/O are the shared ordinal.c (binary form:
 * int2's), so only casts, arithmetic and CRM mappings are here.
 */
#include "b2btarget.h"

#include "utils/builtins.h"

#include "ordinal.h"
#include "stage_core.h"

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
	return b2b_ordinal_in(fcinfo, &b2b_journey_stage_type);
}

/* Every stored value passes through here; a corrupt byte is reported. */
int
b2b_stage_checked(int s)
{
	return b2b_ordinal_checked(&b2b_journey_stage_type, CharGetDatum((char) s));
}

Datum
journey_stage_out(PG_FUNCTION_ARGS)
{
	return b2b_ordinal_out(fcinfo, &b2b_journey_stage_type);
}

Datum
journey_stage_recv(PG_FUNCTION_ARGS)
{
	return b2b_ordinal_recv(fcinfo, &b2b_journey_stage_type);
}

Datum
journey_stage_send(PG_FUNCTION_ARGS)
{
	return b2b_ordinal_send(fcinfo, &b2b_journey_stage_type);
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
